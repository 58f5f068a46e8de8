import { DelayedError, Worker, type ConnectionOptions } from 'bullmq';
import type { Pool } from '@newsfold/db';
import type { HealthReporter } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import { createParsePool, type ParsePoolOptions } from '@newsfold/parse-pool';
import { FETCH_QUEUE, WORKER_LOCK_OPTIONS, createQueues, isJobGoneError, redisReady, type FetchJobData } from '@newsfold/queue';
import { fetchFeed, recordLostFetch, type FetchFeedDeps, type FetchFeedOutcome } from './fetch-feed.js';
import { HostBusyError, type HostSlotRedis } from './host-slots.js';
import { startScheduler } from './scheduler.js';
import { FETCH_LEASE_MS, type IntervalBounds } from './schedule.js';

export interface PollerOptions {
  pool: Pool;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  fetch: FetchFeedDeps['fetch'];
  bounds: IntervalBounds;
  concurrency: number;
  tickIntervalMs?: number;
  /** Concurrent fetches per host across every replica (FETCH_PER_HOST, default 2; 0, only here, = no limit). */
  perHost?: number;
  /** Redis for the per-host limit; by default `connection`, when it is an ioredis client. */
  redis?: HostSlotRedis;
  /** How long a fetch waits for a busy host before its job is re-scheduled (default 500 ms). */
  hostWaitMs?: number;
  /** How far a job for a busy host is pushed back (default 2 s, jittered). */
  hostRetryMs?: number;
  /** The worker-thread pool large feeds are parsed on. */
  parsePool?: ParsePoolOptions;
  /** Fetch outcomes and errors for /metrics. */
  metrics?: Metrics;
  /** Told of connection failures, which it reports once per outage (instead of a line per job). */
  health?: HealthReporter;
}

function isHostSlotRedis(value: unknown): value is HostSlotRedis {
  const candidate = value as Partial<HostSlotRedis> | null;
  return typeof candidate?.eval === 'function' && typeof candidate.zrem === 'function';
}

export interface Poller {
  /** 'ok' while the fetch worker runs and the scheduler ticks; else why not (for /readyz). */
  status(): string;
  close(): Promise<void>;
}

/** The poller service: the scheduler tick plus fetch workers. */
export function startPoller(options: PollerOptions): Poller {
  const queues = createQueues(options.connection, options.prefix);
  const parsePool = createParsePool(options.parsePool);
  const perHost = options.perHost ?? 2;
  const redis = options.redis ?? (isHostSlotRedis(options.connection) ? options.connection : undefined);
  if (perHost > 0 && !redis) options.log.warn('no ioredis connection for the per-host limit: fetches are not limited per host');
  const deps: FetchFeedDeps = {
    pool: options.pool,
    normalizeQueue: queues.normalize,
    log: options.log,
    fetch: options.fetch,
    bounds: options.bounds,
    ...(redis && perHost > 0 ? { redis, perHost, prefix: options.prefix } : {}),
    ...(options.hostWaitMs !== undefined ? { hostWaitMs: options.hostWaitMs } : {}),
    ...(options.hostRetryMs !== undefined ? { hostRetryMs: options.hostRetryMs } : {}),
    parse: parsePool.parse,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  const worker = new Worker<FetchJobData, FetchFeedOutcome>(
    FETCH_QUEUE,
    async (job, token) => {
      const log = options.log.child({ jobId: job.id });
      try {
        return await fetchFeed({ ...deps, log }, job.data.feedId);
      } catch (error) {
        // The host is at its limit: try again shortly, without holding this worker slot meanwhile.
        if (error instanceof HostBusyError && token) {
          log.debug({ feedId: job.data.feedId, host: error.host, retryInMs: error.retryInMs }, 'host busy, fetch deferred');
          await job.moveToDelayed(Date.now() + error.retryInMs, token);
          throw new DelayedError();
        }
        throw error;
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, ...WORKER_LOCK_OPTIONS },
  );
  // A connection failure is the health monitor's to report, once; anything else is worth a stack.
  const quietly = (error: unknown) => options.health?.report(error) ?? false;
  worker.on('error', (error) => {
    if (quietly(error)) options.log.debug({ err: error.message }, 'fetch worker connection error');
    else if (isJobGoneError(error)) options.log.warn({ err: error.message }, 'a running job vanished from Redis; its work is queued again from Postgres');
    else options.log.error({ err: error }, 'fetch worker error');
  });
  worker.on('failed', (job, error) => {
    const fields = { feedId: job?.data.feedId, jobId: job?.id };
    if (quietly(error)) return options.log.debug({ ...fields, err: error.message }, 'fetch job failed; retried');
    const final = job !== undefined && (error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1));
    // A job whose pollers died under it twice is no bug of ours: said without a stack.
    if (error.name === 'UnrecoverableError') options.log.warn({ ...fields, err: error.message }, 'fetch job failed');
    else options.log.error({ ...fields, err: error }, 'fetch job failed');
    if (final) {
      recordLostFetch(options, job.data.feedId, error).catch((recordError: Error) => {
        if (!quietly(recordError)) options.log.warn({ ...fields, err: recordError.message }, 'could not record the failed fetch; the feed is claimed again when its claim runs out');
      });
    }
  });
  const scheduler = startScheduler({
    pool: options.pool,
    fetchQueue: queues.fetch,
    log: options.log,
    intervalMs: options.tickIntervalMs ?? 2_000,
    leaseMs: FETCH_LEASE_MS,
    ...(options.health ? { health: options.health } : {}),
  });
  return {
    status: () => (worker.isRunning() ? scheduler.status() : 'fetch worker stopped'),
    close: async () => {
      await scheduler.stop();
      // Running fetches finish first, unless Redis is away: they could not be marked done, and
      // their feeds are claimed again when their claim runs out.
      await worker.close(!redisReady(options.connection));
      await parsePool.close();
      await queues.close();
    },
  };
}
