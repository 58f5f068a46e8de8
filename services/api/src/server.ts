import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { listenForChanges } from '@newsfold/db';
import { createApp } from './app.js';
import type { ApiDeps } from './deps.js';
import { startTopicRecompute } from './topic-recompute.js';

export interface ApiServer {
  /** The base URL the server listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  close(): Promise<void>;
}

export async function startApi(deps: ApiDeps, listen: { port: number; host: string }): Promise<ApiServer> {
  const ownListener = deps.changes
    ? null
    : await listenForChanges(deps.pool, { onError: (err) => deps.log.warn({ err }, 'change notifications interrupted; reading validators from the database') });
  const app = createApp(ownListener ? { ...deps, changes: ownListener } : deps);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: listen.port, hostname: listen.host }, () => resolve(s));
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    await ownListener?.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  deps.log.info({ port: address.port, host: address.address }, 'API listening');
  // Rebuilds the membership of topics created or changed while no API ran (or whose recompute a
  // restart interrupted), then keeps sweeping: see topic-recompute.ts.
  const stopRecompute = startTopicRecompute(deps.pool, deps.log);
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await stopRecompute();
      await ownListener?.close();
    },
  };
}
