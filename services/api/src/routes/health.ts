import { Hono } from 'hono';
import { createHealthMonitor } from '@newsfold/health';
import type { ApiDeps } from '../deps.js';

export function healthRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const monitor = deps.health ?? createHealthMonitor({ pool: deps.pool, redis: deps.redis, log: deps.log });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const { ready, checks } = await monitor.check();
    return c.json({ status: ready ? 'ok' : 'unavailable', checks }, ready ? 200 : 503);
  });
  return app;
}
