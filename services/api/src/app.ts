import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { adminAuth } from './admin-auth.js';
import { apiBodyLimit } from './body-limits.js';
import type { ApiDeps } from './deps.js';
import { errorBody, handleError } from './http-error.js';
import { metricsMiddleware } from './metrics-middleware.js';
import { correctionRoutes } from './routes/corrections.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { openApiRoutes } from './routes/openapi.js';
import { opmlRoutes } from './routes/opml.js';
import { pageRoutes } from './routes/pages.js';
import { topicAdminRoutes } from './routes/topics-admin.js';
import { storyRoutes } from './routes/stories.js';
import { topicFeedRoutes } from './routes/topic-feeds.js';
import { ReadLimiter } from './read-limiter.js';
import { secureHeadersExcept304 } from './secure-headers.js';
import type { ReplayCache } from './replay-cache.js';
import { TopicState } from './topic-state.js';
import { storableRequest } from './validate.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Every method under these is admin; topic and story-correction writes carry their check per route.
const ADMIN_PATHS = ['/api/v1/feeds', '/api/v1/feeds/*'];

const readCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD'] });

/** Everything public (SPEC: "no auth, CORS open for GET"): feeds, story API, health, metrics, pages. */
const PUBLIC_READS = [
  '/',
  '/topics/*',
  '/stories/*',
  '/topics.opml',
  '/api/v1/stories',
  '/api/v1/stories/*',
  '/api/v1/topics',
  '/api/v1/topics/*',
  '/api/v1/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
];

/**
 * CORS for public reads only. Admin writes share some of these prefixes (story corrections under
 * /api/v1/stories): they get no CORS headers, and a browser's preflight for them gets none either.
 */
const publicReadCors: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    await next();
    // Set on the finished response: a header set before the handler makes Hono rebuild the
    // handler's response, copying its body through a stream (measured: a quarter of the CPU of
    // a cached topic feed).
    c.res.headers.set('Access-Control-Allow-Origin', '*');
    return;
  }
  const asked = c.req.method === 'OPTIONS' ? (c.req.header('access-control-request-method') ?? '').toUpperCase() : '';
  if (asked === 'GET' || asked === 'HEAD') return readCors(c, next);
  await next();
};

export interface AppParts {
  /** Validators held in memory; startApi shares it with the replay cache. */
  state?: TopicState;
  /** Keeps replayable answers for the server to replay (replay-cache.ts); only startApi has one. */
  replay?: ReplayCache;
}

export function createApp(deps: ApiDeps, parts: AppParts = {}): Hono {
  const app = new Hono();
  const state = parts.state ?? new TopicState(deps.pool, deps.changes);
  // This process's own writes are visible to its next request at once, not when their
  // notification arrives (other replicas get theirs within the millisecond).
  app.use(async (c, next) => {
    await next();
    // Only a write that went through: a preflight, a refused or a failed request changed nothing.
    if (!READS.has(c.req.method) && c.res.status < 400) state.invalidate();
  });
  if (deps.metrics) app.use(metricsMiddleware(deps.metrics));
  // Outside every middleware that sets headers, so that a replay sends all of them.
  if (parts.replay) app.use(parts.replay.record());
  app.use(secureHeadersExcept304);
  // Public reads are meant to be embedded and polled from anywhere; admin calls are not.
  for (const path of PUBLIC_READS) app.use(path, publicReadCors);
  // Before every route: no path or query value Postgres would refuse reaches one (validate.ts).
  app.use(storableRequest);
  // 1 MB for every API body except an OPML import (5 MB, set on its route).
  app.use('/api/*', apiBodyLimit);
  for (const path of ADMIN_PATHS) app.use(path, adminAuth(deps.config.adminToken));

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/', openApiRoutes());
  app.route('/', opmlRoutes(deps));
  const reads = new ReadLimiter(deps.config.apiReadRate, deps.config.apiTrustProxy);
  app.route('/', topicFeedRoutes(deps, state, reads));
  app.route('/', storyRoutes(deps, state, reads));
  app.route('/', feedRoutes(deps));
  app.route('/', topicAdminRoutes(deps));
  app.route('/', correctionRoutes(deps));
  app.route('/', pageRoutes(deps, reads));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(handleError(deps.log));
  return app;
}
