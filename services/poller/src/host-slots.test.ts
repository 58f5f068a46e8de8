import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@newsfold/queue';
import { createTestRedis, type TestRedis } from '@newsfold/testing';
import { acquireHostSlot, hostKeyOf, hostSlotKey, tryAcquireHostSlot, withHostSlot, HostBusyError } from './host-slots.js';

/**
 * The per-host fetch limit against a real Redis. Two ioredis connections stand for two poller
 * replicas: the limit holds across them, and a holder that never releases (a crashed worker) stops
 * counting once its slot expires.
 */

const TTL = 60_000;

describe('per-host slots', () => {
  let redis: TestRedis;
  let a: ReturnType<typeof createRedis>;
  let b: ReturnType<typeof createRedis>;
  let hostN = 0;
  const host = () => `host-${++hostN}.example`;

  beforeAll(() => {
    redis = createTestRedis();
    a = createRedis(redis.url);
    b = createRedis(redis.url);
  });

  afterAll(async () => {
    a?.disconnect();
    b?.disconnect();
    await redis?.cleanup();
  });

  it('keys hosts by lower-cased hostname, whatever the port or path', () => {
    expect(hostKeyOf('https://Feeds.BBCI.co.uk:8443/news/rss.xml')).toBe('feeds.bbci.co.uk');
    expect(hostKeyOf('http://127.0.0.1:5000/a')).toBe(hostKeyOf('http://127.0.0.1:6000/b'));
    expect(hostSlotKey('newsfold', 'example.com')).toBe('newsfold:host:example.com');
  });

  it('gives out `limit` slots and refuses the next until one is released', async () => {
    const h = host();
    const first = await acquireHostSlot(a, redis.prefix, h, 2, { ttlMs: TTL });
    const second = await acquireHostSlot(a, redis.prefix, h, 2, { ttlMs: TTL });
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(await acquireHostSlot(a, redis.prefix, h, 2, { ttlMs: TTL })).toBeNull();
    // Another host is not affected.
    const other = await acquireHostSlot(a, redis.prefix, host(), 2, { ttlMs: TTL });
    expect(other).toBeTypeOf('function');

    await first?.();
    await first?.(); // idempotent: releasing twice frees one slot, not two
    const third = await acquireHostSlot(a, redis.prefix, h, 2, { ttlMs: TTL });
    expect(third).toBeTypeOf('function');
    expect(await acquireHostSlot(a, redis.prefix, h, 2, { ttlMs: TTL })).toBeNull();
    await Promise.all([second?.(), third?.(), other?.()]);
    expect(await a.zcard(hostSlotKey(redis.prefix, h))).toBe(0);
  });

  it('waits up to waitMs for a slot to come free, and gives up after', async () => {
    const h = host();
    const held = await acquireHostSlot(a, redis.prefix, h, 1, { ttlMs: TTL });
    const started = Date.now();
    expect(await acquireHostSlot(b, redis.prefix, h, 1, { ttlMs: TTL, waitMs: 300 })).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    setTimeout(() => void held?.(), 150);
    const waited = Date.now();
    const next = await acquireHostSlot(b, redis.prefix, h, 1, { ttlMs: TTL, waitMs: 5_000 });
    expect(next).toBeTypeOf('function');
    expect(Date.now() - waited).toBeLessThan(2_000);
    await next?.();
  });

  it("frees a crashed holder's slot once it expires", async () => {
    const h = host();
    // Two holders that never release: the worker died mid-fetch.
    expect(await tryAcquireHostSlot(a, redis.prefix, h, 2, 300)).not.toBeNull();
    expect(await tryAcquireHostSlot(a, redis.prefix, h, 2, 300)).not.toBeNull();
    expect(await tryAcquireHostSlot(b, redis.prefix, h, 2, TTL)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const after = await tryAcquireHostSlot(b, redis.prefix, h, 2, TTL);
    expect(after).not.toBeNull();
    expect(await a.zcard(hostSlotKey(redis.prefix, h))).toBe(1);
    await after?.();
    // The key itself expires too, so hosts no longer fetched leave nothing behind.
    const pttl = await a.pttl(hostSlotKey(redis.prefix, h));
    // Gone already (-2), or set to expire: never -1 (a key without expiry).
    expect(pttl === -2 || (pttl > 0 && pttl <= TTL), `pttl ${pttl}`).toBe(true);
  });

  it('holds the limit across two replicas racing for the same host', async () => {
    const h = host();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => tryAcquireHostSlot(i % 2 === 0 ? a : b, redis.prefix, h, 2, TTL)),
    );
    const granted = attempts.filter((r) => r !== null);
    expect(granted).toHaveLength(2);
    expect(await b.zcard(hostSlotKey(redis.prefix, h))).toBe(2);
    await Promise.all(granted.map((release) => release?.()));
    expect(await b.zcard(hostSlotKey(redis.prefix, h))).toBe(0);
  });

  it('withHostSlot runs the fetch holding a slot and releases it even when the fetch throws', async () => {
    const h = host();
    const limit = { redis: a, prefix: redis.prefix, perHost: 1, ttlMs: TTL, waitMs: 0, retryMs: 1_000 };
    const url = `https://${h}/feed.xml`;
    const seen = await withHostSlot(limit, url, async () => a.zcard(hostSlotKey(redis.prefix, h)));
    expect(seen).toBe(1);
    await expect(withHostSlot(limit, url, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.zcard(hostSlotKey(redis.prefix, h))).toBe(0);

    const held = await tryAcquireHostSlot(b, redis.prefix, h, 1, TTL);
    const busy = await withHostSlot(limit, url, async () => 'fetched').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(HostBusyError);
    expect((busy as HostBusyError).host).toBe(h);
    expect((busy as HostBusyError).retryInMs).toBeGreaterThanOrEqual(500);
    expect((busy as HostBusyError).retryInMs).toBeLessThanOrEqual(1_500);
    await held?.();
    expect(await withHostSlot(null, url, async () => 'unlimited')).toBe('unlimited');
  });
});
