import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTcpProxy } from '@newsfold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from './testdata/test-runtime.js';
import { startServices } from './start-services.js';

/** A poller or normalizer run on its own answers /healthz and /readyz on HEALTH_PORT. */
describe('worker health checks', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime({ HEALTH_PORT: '0', HOST: '127.0.0.1', STARTER_FEEDS: 'false' });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.each([['normalizer'], ['poller']] as const)('a %s reports Postgres, Redis and its own loop', async (which) => {
    const running = await startServices(t.rt, { [which]: true });
    try {
      expect(running.api).toBeNull();
      expect(running.healthPort).toBeGreaterThan(0);
      const base = `http://127.0.0.1:${running.healthPort}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', [which]: 'ok' } });
      expect(ready.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('refuses to start on a HEALTH_PORT another process holds, naming it, before any worker starts', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const other = await createTestRuntime({ HEALTH_PORT: String((taken.address() as AddressInfo).port), HOST: '127.0.0.1' });
    try {
      await expect(startServices(other.rt, { normalizer: true })).rejects.toThrow(/EADDRINUSE.*another process holds HEALTH_PORT/);
      expect(await other.rt.queues.normalize.getWorkersCount()).toBe(0);
    } finally {
      taken.close();
      await other.drop();
    }
  });

  it('stops within seconds when Redis has gone away (running jobs cannot be marked done)', async () => {
    const target = new URL(t.redis.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const cut = await createTestRuntime({ HEALTH_PORT: '0', HOST: '127.0.0.1' }, { redisUrl: `redis://127.0.0.1:${proxy.port}` });
    try {
      const running = await startServices(cut.rt, { normalizer: true, poller: true });
      await sleep(500);
      await proxy.cut();
      await sleep(500);
      const started = Date.now();
      await running.close();
      // A hang guard: BullMQ's close waited for a reconnection for ever (QUIT on a client that
      // retries without limit), and the process for its 15 s shutdown deadline.
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await proxy.close();
      await cut.drop();
    }
  });

  it('serves nothing of the sort with the API, which answers on its own port', async () => {
    const running = await startServices(t.rt, { api: true, normalizer: true });
    try {
      expect(running.healthPort).toBeNull();
      const res = await fetch(`${running.api?.url}/readyz`);
      expect(await res.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', normalizer: 'ok' } });
    } finally {
      await running.close();
    }
  });
});
