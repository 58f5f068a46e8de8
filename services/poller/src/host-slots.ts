import { randomBytes } from 'node:crypto';

/**
 * A per-host concurrency limit shared by every poller replica: a Redis sorted set per host
 * (`{prefix}:host:{host}`) holds one token per fetch in flight, scored by when the token expires.
 * Acquiring is one Lua script (drop expired tokens, then add ours if fewer than `limit` remain), so
 * replicas cannot both take the last slot, and a worker that crashed mid-fetch frees its slot once
 * the token expires instead of blocking the host for ever. Expiry uses Redis's clock, so replicas
 * with skewed clocks agree on it.
 */

/** The two Redis commands the limit needs; an ioredis client (`createRedis`) satisfies it. */
export interface HostSlotRedis {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  zrem(key: string, ...members: string[]): Promise<number>;
}

export interface AcquireHostSlotOptions {
  /** How long a slot stays taken if it is never released (the holder crashed): fetch timeout plus a margin. */
  ttlMs: number;
  /** How long to keep trying while the host is full, polling with a small backoff; 0 tries once. */
  waitMs?: number;
  /** First poll interval while waiting; doubles up to 250 ms. */
  pollMs?: number;
}

/** Frees the slot. Idempotent. */
export type ReleaseHostSlot = () => Promise<void>;

const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
`;

/** The host a URL's fetches count against: its hostname, lower-cased (the port does not matter). */
export function hostKeyOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

export function hostSlotKey(prefix: string, host: string): string {
  return `${prefix}:host:${host}`;
}

/** One attempt: the release function, or null when the host already has `limit` fetches in flight. */
export async function tryAcquireHostSlot(
  redis: HostSlotRedis,
  prefix: string,
  host: string,
  limit: number,
  ttlMs: number,
): Promise<ReleaseHostSlot | null> {
  const key = hostSlotKey(prefix, host);
  const token = randomBytes(12).toString('hex');
  const ok = await redis.eval(ACQUIRE, 1, key, Math.max(1, Math.floor(limit)), Math.max(1, Math.ceil(ttlMs)), token);
  if (Number(ok) !== 1) return null;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await redis.zrem(key, token);
  };
}

/**
 * Takes one of the host's `limit` slots, waiting up to `waitMs` for one to free up. Returns the
 * release function, or null when the host stayed full (the caller should try again later, not hold
 * a worker idle).
 */
export async function acquireHostSlot(
  redis: HostSlotRedis,
  prefix: string,
  host: string,
  limit: number,
  options: AcquireHostSlotOptions,
): Promise<ReleaseHostSlot | null> {
  const deadline = Date.now() + Math.max(0, options.waitMs ?? 0);
  let pause = Math.max(1, options.pollMs ?? 25);
  for (;;) {
    const release = await tryAcquireHostSlot(redis, prefix, host, limit, options.ttlMs);
    if (release) return release;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    // Jitter, so replicas waiting on the same host do not poll in lockstep.
    const sleep = Math.min(left, pause * (0.5 + Math.random()));
    await new Promise((resolve) => setTimeout(resolve, sleep));
    pause = Math.min(250, pause * 2);
  }
}

/**
 * Thrown by fetchFeed when the feed's host stayed at its limit: the fetch should run again after
 * `retryInMs` (the poller moves its BullMQ job to delayed, so no worker slot sits idle waiting).
 */
export class HostBusyError extends Error {
  readonly host: string;
  readonly retryInMs: number;
  constructor(host: string, retryInMs: number) {
    super(`host ${host} is at its concurrent fetch limit`);
    this.name = 'HostBusyError';
    this.host = host;
    this.retryInMs = retryInMs;
  }
}

/** A per-host limit as fetchFeed applies it. */
export interface HostLimit {
  redis: HostSlotRedis;
  prefix: string;
  perHost: number;
  /** Slot expiry, for a holder that crashed: the fetch timeout plus a margin. */
  ttlMs: number;
  /** How long to wait for a busy host before giving up with HostBusyError. */
  waitMs: number;
  /** Suggested delay before trying a busy host again (jittered ±50 %). */
  retryMs: number;
}

/**
 * Runs `fn` (one fetch) holding one of the URL's host slots. Throws HostBusyError when none came
 * free within `waitMs`. A failed release is only reported: the slot expires by itself.
 */
export async function withHostSlot<T>(
  limit: HostLimit | null,
  url: string,
  fn: () => Promise<T>,
  onReleaseError: (error: unknown) => void = () => {},
): Promise<T> {
  if (!limit) return fn();
  const host = hostKeyOf(url);
  const release = await acquireHostSlot(limit.redis, limit.prefix, host, limit.perHost, { ttlMs: limit.ttlMs, waitMs: limit.waitMs });
  if (!release) throw new HostBusyError(host, Math.round(limit.retryMs * (0.5 + Math.random())));
  try {
    return await fn();
  } finally {
    await release().catch(onReleaseError);
  }
}
