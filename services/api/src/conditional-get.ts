import { hash } from 'node:crypto';
import type { Context } from 'hono';
import { recordValidators, markReplayable } from './answer-record.js';

/** A weak ETag naming `key` (one-shot hashing: cheaper per request than createHash). */
export function weakEtag(key: string): string {
  return `W/"${hash('sha1', key, 'base64url')}"`;
}

/**
 * How long after the second of a change its Last-Modified stays rounded down. A change's instant
 * is stamped inside its transaction, a little before it commits, on the database's clock: a
 * reader served just after the second ends could otherwise be handed the rounded-up date before
 * the change is visible, and then get 304s for it. Assumes the API's and Postgres' clocks agree
 * to well within this, and transactions that stamp commit within it (they are short: the
 * assignment lock is held).
 */
const LAST_MODIFIED_SETTLE_MS = 2_000;

export interface LastModified {
  date: Date;
  /** Until when (epoch ms) this date is a stopgap, to be replaced by a later one; undefined: final. */
  until: number | undefined;
}

/**
 * The Last-Modified to send for a representation last changed at `lastChangeMs`. HTTP dates have
 * whole seconds; rounded down, a second change within the same second would keep the date the
 * client already holds, and an If-Modified-Since-only client would get 304s for it. So: rounded
 * up, which any later change exceeds (the 304 test compares the exact instant), once that second
 * is safely past; until then rounded down (never a date still to come, RFC 9110 §8.8.2.1), which
 * only costs such a client full answers for a few seconds after a change.
 */
export function lastModifiedFor(lastChangeMs: number, nowMs = Date.now()): LastModified {
  const up = Math.ceil(lastChangeMs / 1000) * 1000;
  const until = up + LAST_MODIFIED_SETTLE_MS;
  return nowMs >= until ? { date: new Date(up), until: undefined } : { date: new Date(Math.floor(lastChangeMs / 1000) * 1000), until };
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
 * and, when the route has one, `lastChange`, for which it also sets Last-Modified
 * (lastModifiedFor). Records the validators, so that the answer can be replayed.
 */
export function notModified(c: Context, etag: string, lastChange?: Date): boolean {
  const lastChangeMs = lastChange?.getTime();
  let until: number | undefined;
  if (lastChangeMs !== undefined) {
    const lastModified = lastModifiedFor(lastChangeMs);
    c.header('Last-Modified', lastModified.date.toUTCString());
    until = lastModified.until;
  }
  recordValidators(c, etag, lastChangeMs, until);
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
