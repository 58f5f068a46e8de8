import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { HttpError } from './http-error.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Client addresses tracked at once. */
const MAX_CLIENTS = 10_000;

/**
 * Limits story reads that miss every cache (a page, feed or query no one asked for since the
 * data last changed) per client address: a token bucket of `ratePerSecond`, holding twice that.
 * Cached answers and 304s are never limited: a reader polling feeds never meets this. What it
 * stops is a client making Postgres read and render a new page on every request (a random
 * `until`, cursor or `min_sources` each time), which is cheap to ask and ~5-100 ms to answer.
 * Behind a reverse proxy every client has the proxy's address, and the limit is shared.
 */
export class ReadLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #burst: number;

  constructor(private readonly ratePerSecond: number) {
    this.#burst = Math.max(1, ratePerSecond * 2);
  }

  /** Takes a read for `client`; the seconds until one is available when none is (0: taken). */
  take(client: string, nowMs = performance.now()): number {
    if (this.ratePerSecond <= 0) return 0;
    const bucket = this.#buckets.get(client) ?? { tokens: this.#burst, at: nowMs };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = nowMs;
    // Most recently seen last.
    this.#buckets.delete(client);
    this.#buckets.set(client, bucket);
    this.#forget();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.ratePerSecond;
  }

  /** Takes a read for the request's client, or refuses it: 429 with Retry-After. */
  admit(c: Context): void {
    const address = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'unknown';
    const waitS = this.take(address);
    if (waitS === 0) return;
    const retryAfter = Math.max(1, Math.ceil(waitS));
    c.header('Retry-After', String(retryAfter));
    throw new HttpError(429, 'rate_limited', `too many uncached reads from this address; retry in ${retryAfter} s`);
  }

  /** Keeps the map bounded: the least recently seen client goes (it starts full again when back). */
  #forget(): void {
    for (const client of this.#buckets.keys()) {
      if (this.#buckets.size <= MAX_CLIENTS) break;
      this.#buckets.delete(client);
    }
  }
}
