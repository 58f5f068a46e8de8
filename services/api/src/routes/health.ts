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
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const [postgres, redis] = await Promise.all([check(() => deps.pool.query('SELECT 1')), check(() => deps.redis.ping())]);
    const ready = postgres === 'ok' && redis === 'ok';
    return c.json({ status: ready ? 'ok' : 'unavailable', checks: { postgres, redis } }, ready ? 200 : 503);
  });
  return app;
}
