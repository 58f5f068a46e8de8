import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { adminAuth } from './admin-auth.js';
import type { ApiDeps } from './deps.js';
import { errorBody, handleError, HttpError } from './http-error.js';
import { CORRECTION_PATHS, correctionRoutes } from './routes/corrections.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { pageRoutes } from './routes/pages.js';
import { storyRoutes } from './routes/stories.js';
import { topicFeedRoutes } from './routes/topic-feeds.js';

const ADMIN_PATHS = ['/api/v1/feeds', '/api/v1/feeds/*', ...CORRECTION_PATHS];

const readCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD'] });

/**
 * CORS for public reads only. Admin writes share some of these prefixes (story corrections under
 * /api/v1/stories): they get no CORS headers, and a browser's preflight for them gets none either.
 */
const publicReadCors: MiddlewareHandler = async (c, next) => {
  const method = c.req.method === 'OPTIONS' ? (c.req.header('access-control-request-method') ?? '').toUpperCase() : c.req.method;
  if (method === 'GET' || method === 'HEAD') return readCors(c, next);
  await next();
};

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  // Public reads are meant to be embedded and polled from anywhere; admin calls are not.
  app.use('/topics/*', publicReadCors);
  app.use('/api/v1/stories/*', publicReadCors);
  app.use('/api/v1/stories', publicReadCors);
  app.use('/api/v1/topics', publicReadCors);
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new HttpError(413, 'payload_too_large', 'request body over 1 MB');
      },
    }),
  );
  for (const path of ADMIN_PATHS) app.use(path, adminAuth(deps.config.adminToken));

  app.route('/', healthRoutes(deps));
  app.route('/', topicFeedRoutes(deps));
  app.route('/', storyRoutes(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', correctionRoutes(deps));
  app.route('/', pageRoutes(deps));

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(handleError(deps.log));
  return app;
}
