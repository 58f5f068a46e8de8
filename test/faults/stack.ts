import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { createQueues, createRedis, type Queues } from '@newsfold/queue';
import type { Corpus } from './corpus.js';
import { startFeedServer, type FeedServer } from './feed-server.js';
import { freePort } from './free-port.js';
import { createObserver, type Observer } from './observe.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { ADMIN_TOKEN, QUEUE_PREFIX, serviceEnv } from './service-env.js';
import { createService, type ServiceKind, type ServiceProcess } from './service-process.js';

export interface OpmlAnswer {
  imported?: number;
  created?: number;
  existing?: number;
}

export interface StackOptions {
  /** The scenario's own directory: Postgres, Redis and every process' logs. */
  dir: string;
  /** A stopped, migrated cluster's data directory to copy (prepareDatabaseTemplate). */
  template: string;
  corpus: Corpus;
  pollers: number;
  normalizers: number;
  /** Answer delay of the feed server. */
  feedDelayMs?: number;
  /** Settings for every service on top of the suite's. */
  env?: Record<string, string>;
  /** One `newsfold all` process (the api, a poller and a normalizer) instead of separate ones. */
  allInOne?: boolean;
}

/**
 * One scenario's world: its own Postgres (a copy of the migrated template), Redis and feed
 * server, and newsfold's services as separate processes, started as compose starts them.
 */
export interface Stack {
  dir: string;
  logDir: string;
  corpus: Corpus;
  postgres: PostgresCluster;
  redis: RedisServer;
  feeds: FeedServer;
  api: ServiceProcess;
  pollers: ServiceProcess[];
  normalizers: ServiceProcess[];
  observer: Observer;
  databaseUrl: string;
  apiUrl: string;
  services(): ServiceProcess[];
  /** Jobs of each queue by state, as BullMQ counts them (states with none left out). */
  jobCounts(): Promise<{ fetch: Record<string, number>; normalize: Record<string, number> }>;
  /** Fetch and normalize workers connected to Redis (BullMQ names their connections). */
  workers(): Promise<{ fetch: number; normalize: number }>;
  /** Pauses the normalize queue for every worker (jobs wait in Redis, none is taken). */
  pauseNormalize(): Promise<void>;
  /** A service's /readyz: its status and checks, or null when it does not answer within 5 s. */
  readiness(service: ServiceProcess): Promise<{ status: number; checks: Record<string, string> } | null>;
  /**
   * Posts the corpus' OPML to the admin API's import, as is; `onSent` is called once the whole
   * request has been written (the api is reading or handling it).
   */
  importOpml(onSent?: () => void): Promise<{ status: number; body: OpmlAnswer }>;
  /** Subscribes every feed through the admin API's OPML import, and checks they are all new. */
  subscribe(): Promise<void>;
  /** kill -9, then started again at once, as a restart policy would. */
  crash(service: ServiceProcess): Promise<void>;
  /** Stops everything; the logs stay when `keepLogs`. */
  teardown(keepLogs: boolean): Promise<void>;
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'failed'] as const;

/** A short-lived connection to the scenario's queues, for the harness' own look at them. */
async function withQueues<T>(redisUrl: string, fn: (queues: Queues) => Promise<T>): Promise<T> {
  // Unlike the services' connections, this one fails rather than waits when Redis is away.
  const connection = createRedis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  connection.on('error', () => undefined);
  const queues = createQueues(connection, QUEUE_PREFIX);
  try {
    return await fn(queues);
  } finally {
    await queues.close();
    connection.disconnect();
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const logDir = path.join(options.dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const [postgres, redis, feeds, apiPort] = await Promise.all([
    startPostgresCluster(options.dir, { from: options.template }),
    startRedisServer(options.dir),
    startFeedServer(options.corpus, options.feedDelayMs ? { delayMs: options.feedDelayMs } : {}),
    freePort(),
  ]);
  const databaseUrl = postgres.url('newsfold');
  const env = serviceEnv({ databaseUrl, redisUrl: redis.url, apiPort, ...(options.env ? { extra: options.env } : {}) });
  const service = (kind: ServiceKind, name: string) =>
    createService({ name, kind, env, logDir, ...(kind === 'api' || kind === 'all' ? { port: apiPort } : {}) });
  const api = options.allInOne ? service('all', 'all') : service('api', 'api');
  const pollers = Array.from({ length: options.pollers }, (_, i) => service('poller', `poller-${i + 1}`));
  const normalizers = Array.from({ length: options.normalizers }, (_, i) => service('normalizer', `normalizer-${i + 1}`));
  const observer = createObserver(databaseUrl);
  const services = () => [api, ...pollers, ...normalizers];

  const stack: Stack = {
    dir: options.dir,
    logDir,
    corpus: options.corpus,
    postgres,
    redis,
    feeds,
    api,
    pollers,
    normalizers,
    observer,
    databaseUrl,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    services,
    jobCounts: () =>
      withQueues(redis.url, async (queues) => {
        const count = async (queue: Queues['fetch'] | Queues['normalize']) =>
          Object.fromEntries(Object.entries(await queue.getJobCounts(...JOB_STATES)).filter(([, n]) => n > 0));
        return { fetch: await count(queues.fetch), normalize: await count(queues.normalize) };
      }),
    pauseNormalize: () => withQueues(redis.url, (queues) => queues.normalize.pause()),
    workers: () =>
      withQueues(redis.url, async (queues) => ({
        fetch: await queues.fetch.getWorkersCount(),
        normalize: await queues.normalize.getWorkersCount(),
      })),
    readiness: async (service) => {
      const port = await service.healthPort();
      if (port === null) return null;
      const base = `http://127.0.0.1:${port}`;
      try {
        const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) });
        const body = (await res.json()) as { checks?: Record<string, string> };
        return { status: res.status, checks: body.checks ?? {} };
      } catch {
        return null;
      }
    },
    importOpml: (onSent) =>
      new Promise((resolve, reject) => {
        const req = http.request(`${stack.apiUrl}/api/v1/opml`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/x-opml' },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as OpmlAnswer }));
        });
        req.end(feeds.opml, onSent);
      }),
    subscribe: async () => {
      const { status, body } = await stack.importOpml();
      if (status !== 200 || body.created !== options.corpus.feeds.length) {
        throw new Error(`OPML import answered ${status}: ${JSON.stringify(body)}`);
      }
    },
    crash: async (target) => {
      await target.kill9();
      await target.start();
    },
    teardown: async (keepLogs) => {
      await Promise.allSettled(services().map((s) => s.stop()));
      await observer.close().catch(() => undefined);
      await Promise.allSettled([redis.stop(), feeds.close(), postgres.destroy()]);
      if (!keepLogs) await rm(options.dir, { recursive: true, force: true });
    },
  };
  try {
    // The api first: it subscribes the feeds. Every service migrates as it starts (a no-op here).
    await api.start();
  } catch (error) {
    await stack.teardown(true);
    throw error;
  }
  return stack;
}
