import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { BodyCache } from './body-cache.js';
import { markReplayable } from './answer-record.js';

const gzip = promisify(gzipCallback);

/**
 * Whether an Accept-Encoding header admits gzip: named, or covered by `*`, with a q above zero
 * (RFC 9110 §12.5.3). Feed readers nearly all send `gzip`.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding === '*') star = allowed;
    else return allowed;
  }
  return star;
}

/**
 * Sends the body cached under `key` (rendered on a miss), gzip-compressed when the client accepts
 * it. The compressed variant is cached too, so a feed is compressed once per change, not once per
 * reader: smaller responses for every subscriber at no per-request cost.
 */
export async function sendCached(
  c: Context,
  cache: BodyCache,
  key: string,
  render: () => Promise<string>,
  contentType: string,
  /** Called (it may throw, e.g. a 429) before a miss makes render read the database. */
  beforeRender?: () => void,
): Promise<Response> {
  c.header('Vary', 'Accept-Encoding');
  const gzipped = acceptsGzip(c.req.header('accept-encoding'));
  const gzipKey = `${key}\u0000gzip`;
  // A read only when neither the body nor (for gzip) its compressed form is held.
  if (beforeRender && !cache.has(key) && !(gzipped && cache.has(gzipKey))) beforeRender();
  if (gzipped) {
    const body = await cache.get(gzipKey, async () => new Uint8Array(await gzip(await cache.get(key, render))));
    markReplayable(c, body);
    return c.body(body, 200, { 'Content-Type': contentType, 'Content-Encoding': 'gzip' });
  }
  const body = await cache.get(key, render);
  markReplayable(c, body);
  return c.body(body, 200, { 'Content-Type': contentType });
}

/**
 * Sends `text` as it is, or gzip-compressed when the client accepts it (and it is worth it): for
 * answers made per request (web pages) or once (the OpenAPI document), which sendCached's cache
 * does not hold.
 */
export async function sendText(c: Context, text: string, status: ContentfulStatusCode, headers: Record<string, string>): Promise<Response> {
  c.header('Vary', 'Accept-Encoding');
  if (text.length < 1024 || !acceptsGzip(c.req.header('accept-encoding'))) return c.body(text, status, headers);
  return c.body(new Uint8Array(await gzip(text)), status, { ...headers, 'Content-Encoding': 'gzip' });
}
