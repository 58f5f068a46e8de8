import { hash } from 'node:crypto';
import type { Context } from 'hono';

/** A weak ETag naming `key` (one-shot hashing: cheaper per request than createHash). */
export function weakEtag(key: string): string {
  return `W/"${hash('sha1', key, 'base64url')}"`;
}


/**
 * Whether the client's copy is current: If-None-Match against `etag` (weak comparison), else
 * If-Modified-Since against `lastChange` when the route has one.
 */
export function notModified(c: Context, etag: string, lastChange?: Date): boolean {
  const ifNoneMatch = c.req.header('if-none-match');
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  if (ifNoneMatch !== undefined) {
    const strip = (t: string) => t.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
  }
  const since = Date.parse(c.req.header('if-modified-since') ?? '');
  return lastChange !== undefined && !Number.isNaN(since) && lastChange.getTime() <= since;
}

/**
 * A 304 with the content type the 200 would have had. A 304 without one is sent as text/plain by
 * @hono/node-server's default, and a cache updating its stored headers from the 304 (RFC 9111
 * §4.3.4) would then hold a feed labelled text/plain.
 */
export function notModifiedResponse(c: Context, contentType: string): Response {
  return c.body(null, 304, { 'Content-Type': contentType });
}
