import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { isPermanent } from '@newsfold/errors';
import { recordEntryBatchFailure, type Pool } from '@newsfold/db';
import type { HealthReporter } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import { createQueues, isJobGoneError, NORMALIZE_QUEUE, redisReady, WORKER_LOCK_OPTIONS, type LegacyNormalizeJobData, type NormalizeJobData } from '@newsfold/queue';
import { startAssigner, type Assigner } from '@newsfold/stories';
import { normalizeBatch } from './normalize-batch.js';
import { normalizeEntries, type NormalizeResult } from './normalize-entries.js';
import { startSweeper } from './recovery-sweep.js';

export interface NormalizerOptions {
  pool: Pool;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  storyWindowMs: number;
  concurrency?: number;
  /** Articles created, stories created and batches placed, for /metrics. */
  metrics?: Metrics;
  /** How often the recovery sweep runs (default 5 s). */
  sweepIntervalMs?: number;
  /** Told of connection failures, which it reports once per outage (instead of a line per job). */
  health?: HealthReporter;
  /** Whether this replica may become the story assigner (default true; one is at a time). */
  assign?: boolean;
  /** Pending articles per story batch (default 1,000). */
  assignBatchSize?: number;
  /** How often, at most, the assigner's settle pass runs (default 5 min). */
  settleIntervalMs?: number;
}

type JobData = NormalizeJobData | LegacyNormalizeJobData;

export interface Normalizer {
  worker: Worker<JobData, NormalizeResult | null>;
  /** This replica's story assigner candidate (null with `assign: false`). */
  assigner: Assigner | null;
  /** 'ok' while the worker runs and the recovery sweep keeps turning; else why not (for /readyz). */
  status(): string;
  /** Stops taking jobs and sweeping; running jobs finish first. */
  close(): Promise<void>;
}

/**
 * After a batch's job has failed for good: the first time, try again at the next sweep (a worker
 * killed twice in one job is no fault of the batch); then back off, up to an hour, so a batch that
 * fails every time costs little while its error stays visible.
 */
export const BATCH_RETRY_DELAYS_MS = [0, 60_000, 240_000, 960_000, 3_600_000] as const;

function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * The normalizer service: the BullMQ normalize worker, which stores fetched entries as pending
 * articles; the story assigner, one active across every replica, which places them in stories
 * (@newsfold/stories); and the recovery sweep that queues again, from Postgres, whatever work
 * Redis lost (see recovery-sweep.ts). A permanent error fails a job at
 * once; anything else is retried by BullMQ with backoff, then by the sweep.
 */
export function startNormalizer(options: NormalizerOptions): Normalizer {
  const deps = { pool: options.pool, metrics: options.metrics };
  // A connection failure is the health monitor's to report, once; anything else is worth a stack.
  const quietly = (error: unknown) => options.health?.report(error) ?? false;
  const worker = new Worker<JobData, NormalizeResult | null>(
    NORMALIZE_QUEUE,
    async (job) => {
      const log = options.log.child({ feedId: job.data.feedId, jobId: job.id });
      try {
        if ('batchId' in job.data) return await normalizeBatch({ ...deps, log }, job.data.batchId);
        return await normalizeEntries({ ...deps, log }, job.data);
      } catch (error) {
        if (quietly(error)) log.debug({ err: (error as Error).message }, 'normalize failed; retried');
        else log.error({ err: error }, 'normalize failed');
        if (isPermanent(error)) throw new UnrecoverableError((error as Error).message);
        throw error;
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 4, ...WORKER_LOCK_OPTIONS },
  );
  worker.on('error', (error) => {
    if (quietly(error)) options.log.debug({ err: error.message }, 'normalize worker connection error');
    else if (isJobGoneError(error)) options.log.warn({ err: error.message }, 'a running job vanished from Redis; its work is queued again from Postgres');
    else options.log.error({ err: error }, 'normalize worker error');
  });
  worker.on('failed', (job, error) => {
    if (!job || !('batchId' in job.data) || !isFinalFailure(job, error)) return;
    const { batchId, feedId } = job.data;
    // Postgres or Redis away is no fault of the batch: its lease runs out meanwhile, and the first
    // sweep once they are back queues it again, with no failure counted against it.
    if (quietly(error)) return options.log.debug({ batchId, feedId, err: error.message }, 'entry batch left for the sweep');
    options.log.warn({ batchId, feedId, err: error.message }, 'entry batch failed; it waits in Postgres for another try');
    recordEntryBatchFailure(options.pool, batchId, { message: error.message, retryDelaysMs: BATCH_RETRY_DELAYS_MS }).catch((recordError: Error) => {
      if (!quietly(recordError)) options.log.warn({ batchId, err: recordError.message }, 'could not record the failure; the batch is queued again when its lease ends');
    });
  });
  const queues = createQueues(options.connection, options.prefix);
  const sweeper = startSweeper(
    { pool: options.pool, queue: queues.normalize, log: options.log, prefix: options.prefix },
    {
      ...(options.sweepIntervalMs !== undefined ? { intervalMs: options.sweepIntervalMs } : {}),
      onError: (error) => {
        if (quietly(error)) options.log.debug({ err: (error as Error).message }, 'recovery sweep failed; retrying');
        else options.log.error({ err: error }, 'recovery sweep failed; retrying');
      },
    },
  );
  const assigner =
    options.assign === false
      ? null
      : startAssigner({
          pool: options.pool,
          log: options.log.child({ component: 'assigner' }),
          windowMs: options.storyWindowMs,
          ...(options.health ? { health: options.health } : {}),
          ...(options.assignBatchSize ? { batchSize: options.assignBatchSize } : {}),
          onBatch: (batch) => options.metrics?.recordPlacement(batch),
          onSettle: (pass) => options.metrics?.recordSettle(pass),
          ...(options.settleIntervalMs ? { settleIntervalMs: options.settleIntervalMs } : {}),
        });
  return {
    worker,
    assigner,
    status: () => {
      if (!worker.isRunning()) return 'normalize worker stopped';
      const sweep = sweeper.status();
      return sweep === 'ok' ? (assigner?.status() ?? 'ok') : sweep;
    },
    close: async () => {
      await assigner?.stop();
      await sweeper.stop();
      // Running jobs finish first, unless Redis is away: they could not be marked done, and their
      // batches stay in Postgres for the next normalizer.
      await worker.close(!redisReady(options.connection));
      await queues.close();
    },
  };
}
