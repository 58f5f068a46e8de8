import { Hono } from 'hono';
import type { ApiDeps } from '../deps.js';

async function check(probe: () => Promise<unknown>, timeoutMs = 2_000): Promise<'ok' | string> {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return 'ok';
  } catch (error) {
    return (error as Error).message || 'unreachable';
  }
}

export function healthRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  // The shared client queues commands while Redis is away (workers want that); a probe must
  // fail at once instead, or each /readyz would leave a PING waiting for Redis to return. So each
  // probe uses a short-lived connection that does not retry.
  const pingRedis = async () => {
    const probe = deps.redis.duplicate({ lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  };
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const [postgres, redis] = await Promise.all([check(() => deps.pool.query('SELECT 1')), check(pingRedis)]);
    const ready = postgres === 'ok' && redis === 'ok';
    return c.json({ status: ready ? 'ok' : 'unavailable', checks: { postgres, redis } }, ready ? 200 : 503);
  });
  return app;
}
