import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '@newsfold/metrics';
import { answerOf } from './answer-record.js';
import { isNotModified } from './conditional-get.js';
import { incomingOf } from './node-incoming.js';
import { routeOf } from './metrics-middleware.js';
import { acceptsGzip } from './send-cached.js';
import type { TopicState } from './topic-state.js';

interface Variant {
  /** Name, value, name, value… as ServerResponse.writeHead takes them. */
  headers: string[];
  body: Uint8Array<ArrayBuffer>;
}

interface Entry {
  etag: string;
  lastChangeMs: number | undefined;
  /** Not replayed from this instant (epoch ms): the app would answer with other headers by then. */
  until: number | undefined;
  route: string;
  notModified?: string[];
  identity?: Variant;
  gzip?: Variant;
}

export interface ReplayLimits {
  /** URLs kept (4,096): a stream of made-up query strings only recycles them. */
  entries: number;
  /** Body bytes kept (32 MB). They are mostly the body cache's own buffers; this bounds what outlives it. */
  bytes: number;
}

/** Distinct Host headers remembered as accepted; past this the set starts again. */
const MAX_HOSTS = 64;

const DEFAULT_LIMITS: ReplayLimits = { entries: 4096, bytes: 32 * 1024 * 1024 };

/**
 * The answers of validator-backed public reads (topic feeds, story queries), replayed below the
 * framework. A feed is polled by every subscriber's reader, and nearly every poll is a repeat of
 * the one before: a 304, or the same cached body. Once the app has answered a URL, the next
 * request for it in the same state of the data (the same TopicState generation, which moves on
 * every change notification and local write) gets the same status, headers and bytes straight
 * from the Node request handler, skipping Hono's request, context, middleware and response
 * objects: a third of the CPU of a 304 (`pnpm bench api`).
 *
 * What makes this safe is that it replays rather than decides. Only an answer the route marked as
 * made from its validators alone is kept (notModified, sendCached), with the headers every
 * middleware gave it, keyed by the raw request URL and, for a 200, by whether the client accepts
 * gzip (the one request header these routes vary by). The 304-or-200 choice uses the route's own
 * rule (isNotModified) on the validators the route recorded. Nothing is kept while change
 * notifications are not live, or when the data changed while the request was in flight.
 */
export class ReplayCache {
  readonly #entries = new Map<string, Entry>();
  /**
   * Host headers the app has accepted (absent: ''). Only those are replayed, so a request the app
   * would refuse (@hono/node-server answers 400 to a malformed Host) still reaches it.
   */
  readonly #hosts = new Set<string>();
  #bytes = 0;
  #generation: number;
  /** Requests answered from here, for tests and curiosity. */
  hits = 0;

  constructor(
    private readonly state: TopicState,
    private readonly metrics?: Metrics,
    private readonly limits: ReplayLimits = DEFAULT_LIMITS,
  ) {
    this.#generation = state.generation;
  }

  /** Middleware keeping what the app answered; register it outside every header-setting one. */
  record(): MiddlewareHandler {
    return async (c, next) => {
      const generation = this.state.generation;
      await next();
      const answer = answerOf(c);
      if (!answer || answer.body === undefined || c.req.method !== 'GET') return;
      const incoming = incomingOf(c);
      const url = incoming?.url;
      if (!incoming || url === undefined || !this.state.live || this.state.generation !== generation) return;
      const status = c.res.status;
      if (status !== (answer.body === null ? 304 : 200)) return;
      const headers = flatten(c.res.headers);
      if (!headers) return;
      this.#sync();
      if (this.#hosts.size >= MAX_HOSTS) this.#hosts.clear();
      this.#hosts.add(incoming.headers.host ?? '');
      let entry = this.#entries.get(url);
      // A stopgap Last-Modified (a change seconds ago) gives way to the final one, and so does the
      // answer carrying it (lastModifiedFor): a new `until` is a new entry.
      if (!entry || entry.etag !== answer.etag || entry.until !== answer.until) {
        if (entry) this.#delete(url, entry);
        entry = { etag: answer.etag, lastChangeMs: answer.lastChangeMs, until: answer.until, route: routeOf(c) };
        this.#entries.set(url, entry);
      }
      if (answer.body === null) {
        entry.notModified = headers;
      } else {
        const variant = acceptsGzip(c.req.header('accept-encoding')) ? 'gzip' : 'identity';
        const old = entry[variant];
        if (old) this.#bytes -= old.body.byteLength;
        // As @hono/node-server sends a body it was given whole.
        if (!headers.some((h, i) => i % 2 === 0 && h === 'content-length')) headers.push('content-length', String(answer.body.byteLength));
        entry[variant] = { headers, body: answer.body };
        this.#bytes += answer.body.byteLength;
      }
      this.#evict();
    };
  }

  /**
   * Answers `req` if the app already answered the same request in the current state of the data;
   * false (nothing written) otherwise, and the app takes it.
   */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || !this.state.live) return false;
    const started = performance.now();
    this.#sync();
    const entry = this.#entries.get(req.url ?? '');
    if (!entry || !this.#hosts.has(req.headers.host ?? '') || (entry.until !== undefined && Date.now() >= entry.until)) return false;
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    // Node keeps the first of repeated If-Modified-Since headers; the app sees them all, joined
    // (an unparseable date, so no 304). Such a rare request is left to the app.
    if (ifNoneMatch === undefined && ifModifiedSince !== undefined && (req.headersDistinct['if-modified-since']?.length ?? 0) > 1) return false;
    let status: number;
    if (isNotModified(ifNoneMatch, ifModifiedSince, entry.etag, entry.lastChangeMs)) {
      if (!entry.notModified) return false;
      status = 304;
      res.writeHead(304, entry.notModified);
      res.end();
    } else {
      const variant = acceptsGzip(req.headers['accept-encoding']) ? entry.gzip : entry.identity;
      if (!variant) return false;
      status = 200;
      res.writeHead(200, variant.headers);
      res.end(variant.body);
    }
    this.hits += 1;
    this.metrics?.observeRequest({ method: 'GET', route: entry.route, status }, (performance.now() - started) / 1000);
    return true;
  }

  /** Drops everything kept under an earlier generation of the data. */
  #sync(): void {
    if (this.#generation === this.state.generation) return;
    this.#generation = this.state.generation;
    this.#entries.clear();
    this.#bytes = 0;
  }

  #delete(url: string, entry: Entry): void {
    this.#entries.delete(url);
    this.#bytes -= (entry.identity?.body.byteLength ?? 0) + (entry.gzip?.body.byteLength ?? 0);
  }

  /** Oldest first; an evicted URL costs one pass through the app when it is asked again. */
  #evict(): void {
    for (const [url, entry] of this.#entries) {
      if (this.#entries.size <= this.limits.entries && this.#bytes <= this.limits.bytes) break;
      this.#delete(url, entry);
    }
  }
}

/**
 * The response's headers as writeHead takes them, or null when the answer must not be replayed:
 * it varies by a request header other than Accept-Encoding, or sets a cookie.
 */
function flatten(headers: Headers): string[] | null {
  const flat: string[] = [];
  for (const [name, value] of headers) {
    if (name === 'set-cookie') return null;
    if (name === 'vary' && value.split(',').some((v) => v.trim().toLowerCase() !== 'accept-encoding')) return null;
    flat.push(name, value);
  }
  return flat;
}
