import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@newsfold/db';
import { createRedis } from '@newsfold/queue';
import { createApp } from './app.js';
import { createHarness, type Harness } from './testdata/harness.js';

interface Ready {
  status: string;
  checks: { postgres: string; redis: string };
}

describe('health endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('/healthz answers 200 with the security headers of data (not of a page)', async () => {
    const res = await h.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    // The HTML-only ones stay on pages.
    expect(res.headers.get('referrer-policy')).toBeNull();
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('/readyz answers 200 when Postgres and Redis answer', async () => {
    const res = await h.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('/readyz answers 503 quickly when Redis refuses connections', async () => {
    const redis = createRedis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    redis.on('error', () => undefined);
    try {
      const started = Date.now();
      const res = await createApp({ ...h.deps, redis }).request('/readyz');
      expect(res.status).toBe(503);
      const body = (await res.json()) as Ready;
      expect(body.status).toBe('unavailable');
      expect(body.checks.postgres).toBe('ok');
      expect(body.checks.redis).not.toBe('ok');
      expect(body.checks.redis.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      redis.disconnect();
    }
  });

  it('/readyz answers 503 within its 2 s timeout when Redis accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    // Without the ready check the client counts as connected once TCP is: the silence comes at PING.
    const redis = createRedis(`redis://127.0.0.1:${port}`, { retryStrategy: () => null, enableReadyCheck: false, disableClientInfo: true });
    redis.on('error', () => undefined);
    try {
      await new Promise((resolve) => redis.once('ready', resolve));
      const started = Date.now();
      const res = await createApp({ ...h.deps, redis }).request('/readyz');
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(((await res.json()) as Ready).checks).toEqual({ postgres: 'ok', redis: expect.stringMatching(/2000 ms/) });
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      expect(elapsed).toBeLessThan(4_000);
    } finally {
      redis.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('/readyz answers 503 when Postgres is unreachable, naming it', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:1/none');
    pool.on('error', () => undefined);
    try {
      const res = await createApp({ ...h.deps, pool }).request('/readyz');
      expect(res.status).toBe(503);
      const body = (await res.json()) as Ready;
      expect(body.status).toBe('unavailable');
      expect(body.checks.redis).toBe('ok');
      expect(body.checks.postgres).not.toBe('ok');
      // Liveness does not depend on either.
      expect((await createApp({ ...h.deps, pool }).request('/healthz')).status).toBe(200);
    } finally {
      await pool.end();
    }
  });
});
