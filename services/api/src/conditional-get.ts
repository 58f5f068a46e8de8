import type { Context } from 'hono';

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
