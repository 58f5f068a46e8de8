import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The Node request under a Hono context, when the app runs on @hono/node-server (which passes it
 * as `env.incoming`); undefined under `app.request` in tests.
 */
export function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}
