import { createTopicRecomputer, startApi, type ApiServer } from '@newsfold/api';
import { createDatabaseIfMissing, migrate } from '@newsfold/db';
import { startHealthServer } from '@newsfold/health';
import { createMetrics } from '@newsfold/metrics';
import { startNormalizer } from '@newsfold/normalizer';
import { startPoller } from '@newsfold/poller';
import { CliError } from './cli-error.js';
import { applyFirstStart } from './first-start.js';
import { createProber } from './prober.js';
import { fetchOptions, pollBounds, type Runtime } from './runtime.js';

export interface RunningServices {
  api: ApiServer | null;
  /** The port of /healthz and /readyz, for a poller or normalizer run with HEALTH_PORT. */
  healthPort: number | null;
  close(): Promise<void>;
}

/**
 * Brings the schema up to date. With `create` (the services and `migrate`; the default) a
 * missing database is created first; without it (every other one-shot command) a missing
 * database is an error, so that a mistyped DATABASE_URL is not quietly made into a new, empty one.
 */
export async function prepareDatabase(rt: Runtime, options: { create?: boolean } = {}): Promise<void> {
  if (options.create !== false) {
    try {
      if (await createDatabaseIfMissing(rt.config.databaseUrl)) rt.log.info('created the database');
    } catch (error) {
      // The role may not be allowed to look or create (no CREATEDB, no access to the `postgres`
      // database): then migrate says clearly whether the database is really missing. Anything else
      // (Postgres down after retries) is the real problem, reported as it is.
      const code = (error as { code?: string }).code ?? '';
      if (!['42501', '3D000', '28000', '28P01'].includes(code)) throw error;
      rt.log.debug({ err: error }, 'could not check for or create the database');
    }
  }
  const applied = await migrate(rt.config.databaseUrl);
  if (applied.length > 0) rt.log.info({ applied }, 'applied migrations');
}

export async function startServices(
  rt: Runtime,
  which: { api?: boolean; poller?: boolean; normalizer?: boolean },
): Promise<RunningServices> {
  const closers: (() => Promise<void>)[] = [];
  let api: ApiServer | null = null;
  let healthPort: number | null = null;
  // Counts go to Redis, so the api's /metrics adds up every replica's and process's.
  const metrics = createMetrics(rt.redis, rt.config.queuePrefix);
  // The schema is the caller's to bring up to date first (serve: prepareDatabase).
  if (which.api && rt.config.starterFeeds) await applyFirstStart(rt.pool, rt.log);
  // The API answers /healthz and /readyz itself; a poller or normalizer on its own does on
  // HEALTH_PORT. First, so that a port taken stops the start before any worker takes a job.
  if (!which.api && rt.config.healthPort !== undefined) {
    const server = await startHealthServer({ port: rt.config.healthPort, host: rt.config.host, monitor: rt.health }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
      throw new CliError('port_taken', `${(error as Error).message}: another process holds HEALTH_PORT; set it to a free one (0: any)`, 1);
    });
    healthPort = server.port;
    rt.log.info({ port: server.port }, 'health checks at /healthz and /readyz');
    closers.push(() => server.close());
  }
  rt.health.start();
  if (which.normalizer) {
    const normalizer = startNormalizer({
      pool: rt.pool,
      connection: rt.redis,
      prefix: rt.config.queuePrefix,
      log: rt.log.child({ component: 'normalizer' }),
      storyWindowMs: rt.config.storyWindowMs,
      settleIntervalMs: rt.config.settleIntervalMs,
      metrics,
      health: rt.health,
    });
    const unchecked = rt.health.addCheck('normalizer', () => normalizer.status());
    closers.push(async () => {
      unchecked();
      await normalizer.close();
    });
  }
  if (which.poller) {
    const poller = startPoller({
      pool: rt.pool,
      connection: rt.redis,
      prefix: rt.config.queuePrefix,
      log: rt.log.child({ component: 'poller' }),
      fetch: fetchOptions(rt.config),
      bounds: pollBounds(rt.config),
      concurrency: rt.config.fetch.concurrency,
      perHost: rt.config.fetch.perHost,
      metrics,
      health: rt.health,
    });
    const unchecked = rt.health.addCheck('poller', () => poller.status());
    closers.push(async () => {
      unchecked();
      await poller.close();
    });
  }
  if (which.api) {
    const recomputer = createTopicRecomputer(rt.pool, rt.log.child({ component: 'topic-recompute' }), rt.health);
    closers.unshift(() => recomputer.stop());
    const prober = createProber(rt.config);
    closers.unshift(() => prober.close());
    api = await startApi(
      {
        config: rt.config,
        pool: rt.pool,
        queues: rt.queues,
        redis: rt.redis,
        log: rt.log.child({ component: 'api' }),
        recomputer,
        probe: prober.probe,
        metrics,
        health: rt.health,
      },
      { port: rt.config.port, host: rt.config.host },
    );
    closers.unshift(() => (api as ApiServer).close());
  }
  return {
    api,
    healthPort,
    close: async () => {
      for (const close of closers) await close();
      await metrics.close();
    },
  };
}
