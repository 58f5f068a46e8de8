import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Pool } from '@newsfold/db';

/** The servers and background writer `pnpm bench api` runs beside the API. */

export const HELLO_PATH = '/bench/hello';
export const BYTES_PATH = '/bench/feed-bytes';

/**
 * Ingest as the API sees it: `perSecond` times a second, one story outside topic `world` is
 * revised (it gained an article), which notifies every API process and ends every replay; the
 * topic's own ETag does not change, so its readers still get 304s. Returns a stop function giving
 * the number of updates made.
 */
export function startChurn(pool: Pool, storyId: string, perSecond: number): () => Promise<number> {
  let updates = 0;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => pool.query('UPDATE stories SET revised_at = now() WHERE id = $1', [storyId])).then(() => (updates += 1));
  }, 1000 / perSecond);
  return async () => {
    clearInterval(timer);
    await running;
    return updates;
  };
}

/**
 * The bare server: `hello`, and a control that sends a fixed body of the feed's size from a
 * bare route (what moving those bytes costs Node, the kernel and the load generator alone).
 */
export async function listenBare(): Promise<{ url: string; setBytes(body: Uint8Array<ArrayBuffer>): void; close(): Promise<void> }> {
  const app = new Hono();
  let bytes = new Uint8Array(0);
  app.get(HELLO_PATH, (c) => c.text('hello'));
  app.get(BYTES_PATH, (c) => c.body(bytes, 200, { 'content-type': 'application/rss+xml; charset=utf-8' }));
  const server = await new Promise<ServerType>((resolvePromise, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolvePromise(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setBytes: (body) => {
      bytes = body;
    },
    close: () =>
      new Promise<void>((r) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

