import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ipv6Groups } from '@newsfold/fetcher';
import { HttpError } from './http-error.js';
import { incomingOf } from './node-incoming.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Whom a read counts against: an IPv4 address, or an IPv6 address's /64 (one subscriber's
 * network; a single host can use any address in it).
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  // IPv4, written plainly or mapped into IPv6 (a dual-stack socket's view of an IPv4 client).
  if (!address.includes(':') || address.toLowerCase().startsWith('::ffff:')) return address.replace(/^::ffff:/i, '');
  const groups = ipv6Groups(address);
  if (groups === null) return address;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * The client's address. Behind `trustProxyHops` reverse proxies (API_TRUST_PROXY), each of which
 * appends the address it was reached from to X-Forwarded-For, that is the entry `trustProxyHops`
 * from the end: entries before it were written by the client itself and prove nothing. With
 * fewer entries than that, or none, the socket's address.
 */
export function clientAddress(incoming: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxyHops: number): string | undefined {
  const socketAddress = incoming.socket.remoteAddress;
  if (trustProxyHops <= 0) return socketAddress;
  const forwarded = incoming.headers['x-forwarded-for'];
  const entries = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((e) => e.trim()).filter((e) => e !== '');
  return entries[entries.length - trustProxyHops] ?? socketAddress;
}

/** Reads a client may make at once, in seconds of its rate. */
const BURST_SECONDS = 10;

/** Client addresses tracked at once. */
const MAX_CLIENTS = 10_000;

/**
 * Limits story reads that miss every cache per client address: topic feeds and story queries
 * that miss the body cache, and topic pages (never cached). Cached answers and 304s are never
 * limited. What it stops is a client making Postgres read and render a new page on every request
 * (a random `until`, cursor or `min_sources` each time), which is cheap to ask and ~5-125 ms to
 * answer. A token bucket of `ratePerSecond`, holding ten seconds' worth (BURST_SECONDS): generous,
 * because a feed-reading service polls all its subscriptions at once and right after a change
 * each of those is a miss; the limit is for the sustained stream.
 * Clients are told apart by address (clientAddress, clientKey): behind a reverse proxy, set
 * API_TRUST_PROXY, or every client has the proxy's address and the limit is shared.
 */
export class ReadLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #burst: number;

  constructor(
    private readonly ratePerSecond: number,
    /** Proxies in front whose X-Forwarded-For is believed (clientAddress). */
    private readonly trustProxyHops = 0,
  ) {
    this.#burst = Math.max(1, ratePerSecond * BURST_SECONDS);
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

  /**
   * Takes a read for the request's client, or refuses it: 429 with Retry-After (the error handler
   * drops the validators and caching headers the route had set).
   */
  admit(c: Context): void {
    const incoming = incomingOf(c);
    const waitS = this.take(clientKey(incoming ? clientAddress(incoming, this.trustProxyHops) : undefined));
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
