import { Hono } from 'hono';
import { createMetrics, PROMETHEUS_CONTENT_TYPE, type Metrics } from '@newsfold/metrics';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { sendText } from '../send-cached.js';
import { scrapeGauges } from '../metrics-gauges.js';

/** A scrape answers within this, or 503 (Redis or Postgres away must not pile up hanging scrapes). */
const SCRAPE_TIMEOUT_MS = 5_000;

/**
 * `GET /metrics`, public like /healthz: the Prometheus text format of every process's counters and
 * histograms (kept in Redis under the queue prefix) plus gauges computed now.
 */
export function metricsRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  // Without a recorder of its own, the API still renders what the poller and normalizer recorded.
  const metrics: Metrics = deps.metrics ?? createMetrics(deps.redis, deps.queues.fetch.opts.prefix ?? 'newsfold');
  app.get('/metrics', async (c) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HttpError(503, 'metrics_unavailable', `metrics not gathered within ${SCRAPE_TIMEOUT_MS} ms`)), SCRAPE_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const text = await Promise.race([metrics.render(() => scrapeGauges(deps)), timeout]);
      // Prometheus asks with Accept-Encoding: gzip; the text is tens of KB and compresses tenfold.
      return await sendText(c, text, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' });
    } catch (error) {
      if (error instanceof HttpError) throw error;
      deps.log.warn({ err: error }, 'metrics scrape failed');
      throw new HttpError(503, 'metrics_unavailable', 'metrics could not be read from Redis');
    } finally {
      clearTimeout(timer);
    }
  });
  return app;
}
