import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Metrics } from '@newsfold/metrics';

/**
 * The route pattern a request counts under: the first matched handler registered for a method
 * (the endpoint that answers, even when a middleware before it refused the request, as admin auth
 * does), else the pattern of the middleware that answered (a CORS preflight under `/topics/*`),
 * or `unmatched` for a 404 no route matched.
 */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  const endpoint = routes.find((r) => r.method !== 'ALL');
  if (endpoint) return endpoint.path;
  if (c.res.status === 404) return 'unmatched';
  return c.req.routePath || 'unmatched';
}

/**
 * Observes `newsfold_http_request_duration_seconds{method,route,status}` with the registered path
 * pattern (`/api/v1/feeds/:id`), never the raw URL, so the number of series stays bounded.
 * Register it first, so it times the whole chain, errors included.
 */
export function metricsMiddleware(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest({ method: c.req.method, route: routeOf(c), status: c.res.status }, (performance.now() - started) / 1000);
    }
  };
}
