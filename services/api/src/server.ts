import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { listenForChanges } from '@newsfold/db';
import { createApp } from './app.js';
import type { ApiDeps } from './deps.js';
import { ReplayCache } from './replay-cache.js';
import { TopicState } from './topic-state.js';
import { startTopicSweep } from './topic-recompute.js';

export interface ApiServer {
  /** The base URL the server listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  close(): Promise<void>;
  /** Requests answered by replaying an earlier answer of the app (replay-cache.ts). */
  replayed(): number;
}

/**
 * The Node request handler: a request the app already answered, in the current state of the
 * data, is replayed (replay-cache.ts); every other request goes to the app.
 */
export function apiRequestListener(app: Hono, replay: ReplayCache, hostname?: string): (req: IncomingMessage, res: ServerResponse) => void {
  const appListener = getRequestListener(app.fetch, hostname === undefined ? {} : { hostname });
  return (req, res) => {
    if (!replay.answer(req, res)) void appListener(req, res);
  };
}

export async function startApi(deps: ApiDeps, listen: { port: number; host: string }): Promise<ApiServer> {
  const ownListener = deps.changes
    ? null
    : await listenForChanges(deps.pool, {
        // Postgres away is the health monitor's to say, once; anything else (a pooler that drops
        // LISTEN) is said at each attempt.
        onError: (err) => {
          if (deps.health?.report(err)) deps.log.debug({ err: (err as Error).message }, 'change notifications interrupted; reading validators from the database');
          else deps.log.warn({ err }, 'change notifications interrupted; reading validators from the database');
        },
      });
  const appDeps = ownListener ? { ...deps, changes: ownListener } : deps;
  const state = new TopicState(appDeps.pool, appDeps.changes);
  const replay = new ReplayCache(state, deps.metrics);
  const app = createApp(appDeps, { state, replay });
  const server = createServer(apiRequestListener(app, replay, listen.host));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    state.close();
    await ownListener?.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  deps.log.info({ port: address.port, host: address.address }, 'API listening');
  // Rebuilds the membership of topics created or changed while no API ran (or whose recompute a
  // restart interrupted), then keeps sweeping: see topic-recompute.ts.
  const stopSweep = startTopicSweep(deps.recomputer, deps.log, deps.health ? { health: deps.health } : {});
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
    replayed: () => replay.hits,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      stopSweep();
      state.close();
      await ownListener?.close();
    },
  };
}
