import { hash } from 'node:crypto';
import type { Context } from 'hono';
import { recordValidators, markReplayable } from './answer-record.js';

/** A weak ETag naming `key` (one-shot hashing: cheaper per request than createHash). */
export function weakEtag(key: string): string {
  return `W/"${hash('sha1', key, 'base64url')}"`;
}

/**
 * The Last-Modified to send for a representation last changed at `lastChange`. HTTP dates have
 * whole seconds; rounded down, a second change within the same second would keep the date the
 * client already holds, and an If-Modified-Since-only client would get 304s for it. So: rounded
 * up, which any later change exceeds (the 304 test compares the exact instant), except while
 * that is still in the future (RFC 9110 §8.8.2.1): then rounded down, which only costs such a
 * client full answers until the second has passed.
 */
export function lastModifiedFor(lastChange: Date, nowMs = Date.now()): Date {
  return new Date(lastModifiedIsFinal(lastChange.getTime(), nowMs) ? Math.ceil(lastChange.getTime() / 1000) * 1000 : Math.floor(lastChange.getTime() / 1000) * 1000);
}

/** Whether lastModifiedFor names the date it will keep naming (rounded up), not a stopgap. */
export function lastModifiedIsFinal(lastChangeMs: number, nowMs = Date.now()): boolean {
  return Math.ceil(lastChangeMs / 1000) * 1000 <= nowMs;
}

/**
 * Whether a client holding a copy validated by these request headers has the current one:
 * If-None-Match against `etag` (weak comparison), else If-Modified-Since against `lastChangeMs`
 * when the resource has one. The one rule, for the routes and for replayed answers (replay-cache.ts).
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastChangeMs: number | undefined,
): boolean {
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  if (ifNoneMatch !== undefined) {
    const strip = (t: string) => t.trim().replace(/^W\//, '');
    const current = strip(etag);
    return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === current);
  }
  if (lastChangeMs === undefined || ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && lastChangeMs <= since;
}

/**
 * Whether the client's copy is current (isNotModified), for a representation validated by `etag`
 * and, when the route has one, `lastChange`. Records both, so that the answer can be replayed.
 */
export function notModified(c: Context, etag: string, lastChange?: Date): boolean {
  const lastChangeMs = lastChange?.getTime();
  recordValidators(c, etag, lastChangeMs);
  return isNotModified(c.req.header('if-none-match'), c.req.header('if-modified-since'), etag, lastChangeMs);
}

/**
 * A 304 with the content type the 200 would have had. A 304 without one is sent as text/plain by
 * @hono/node-server's default, and a cache updating its stored headers from the 304 (RFC 9111
 * §4.3.4) would then hold a feed labelled text/plain.
 */
export function notModifiedResponse(c: Context, contentType: string): Response {
  markReplayable(c, null);
  return c.body(null, 304, { 'Content-Type': contentType });
}
