import { fetch, type Dispatcher, type Response } from 'undici';
import { FetchError } from './fetch-error.js';
import { agentFor } from './guarded-agent.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowPrivateNetworks: boolean;
  userAgent: string;
  /** Validators from the previous fetch, sent verbatim. */
  etag?: string | null;
  lastModified?: string | null;
  /**
   * Overrides the shared agent that `allowPrivateNetworks` selects, and with it the address
   * guard (tests inject a guarded agent with a fake resolver through this).
   */
  dispatcher?: Dispatcher;
}

export type FetchResult =
  | { notModified: true; status: 304; url: string; headers: Headers }
  | {
      notModified: false;
      status: number;
      /** The URL the body came from, after redirects. */
      url: string;
      /** Set when every redirect on the way was permanent (301/308): the feed's new address. */
      permanentUrl: string | null;
      body: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      headers: Headers;
    };

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

/**
 * Fetches a URL for the poller: manual redirects (each hop checked), conditional headers, one
 * deadline for the whole exchange including the body, and a cap on decompressed bytes.
 */
export async function fetchUrl(url: string, options: FetchOptions): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    return await follow(url, options, controller.signal);
  } catch (error) {
    const own = ownError(error);
    if (own) throw own;
    if (controller.signal.aborted) {
      throw new FetchError('timeout', `no complete answer within ${options.timeoutMs} ms`, { cause: error });
    }
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new FetchError('dns_error', describeNetworkError(error), { cause: error });
    }
    throw new FetchError('network_error', describeNetworkError(error), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

async function follow(startUrl: string, options: FetchOptions, signal: AbortSignal): Promise<FetchResult> {
  let current = parseHttpUrl(startUrl);
  const seen = new Set<string>();
  let allPermanent = true;
  // Every hop goes through this agent: the guarded one checks the address each connection is
  // actually made to, so a redirect (or a DNS answer) into a private network is refused too.
  const dispatcher = options.dispatcher ?? agentFor(options.allowPrivateNetworks);
  for (let hop = 0; ; hop++) {
    seen.add(current.href);
    const headers: Record<string, string> = { 'user-agent': options.userAgent, accept: FEED_ACCEPT };
    // Validators belong to the stored URL; a redirect target is a different resource.
    if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
    if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;
    const response = await fetch(current, { headers, redirect: 'manual', signal, dispatcher });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
      await response.body?.cancel();
      if (hop >= options.maxRedirects) {
        throw new FetchError('too_many_redirects', `more than ${options.maxRedirects} redirects`, { status: response.status });
      }
      const next = parseHttpUrl(location, current);
      if (seen.has(next.href)) throw new FetchError('redirect_loop', `redirect loop at ${next.href}`, { status: response.status });
      allPermanent &&= response.status === 301 || response.status === 308;
      current = next;
      continue;
    }
    if (response.status === 304) {
      await response.body?.cancel();
      return { notModified: true, status: 304, url: current.href, headers: response.headers };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(response);
    }
    const body = await readCapped(response, options.maxBytes);
    return {
      notModified: false,
      status: response.status,
      url: current.href,
      permanentUrl: hop > 0 && allPermanent && current.href !== startUrl ? current.href : null,
      body,
      contentType: response.headers.get('content-type'),
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      headers: response.headers,
    };
  }
}

function parseHttpUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (error) {
    throw new FetchError('invalid_url', `not a valid URL: ${text}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('unsupported_scheme', `only http and https are fetched, not ${url.protocol}`);
  }
  return url;
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  // Content-Length counts compressed bytes; only an uncompressed body can be refused up front.
  if (!response.headers.get('content-encoding') && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new FetchError('too_large', `body of ${declared} bytes exceeds the ${maxBytes}-byte limit`, { status: response.status });
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new FetchError('too_large', `body exceeds the ${maxBytes}-byte limit`, { status: response.status });
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function statusError(response: Response): FetchError {
  const status = response.status;
  if (status === 410) return new FetchError('gone', 'the server says the feed is gone for good (410)', { status });
  if (status === 429 || status === 503) {
    return new FetchError('rate_limited', `the server asked us to slow down (${status})`, {
      status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
  return new FetchError('http_error', `HTTP ${status} ${response.statusText}`.trim(), { status });
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A FetchError raised by the connector arrives wrapped in fetch's TypeError('fetch failed'). */
function ownError(error: unknown): FetchError | null {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof FetchError) return e;
  }
  return null;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}: ${cause.message ?? ''}`.trim() : (error as Error).message;
}
