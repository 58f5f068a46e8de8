import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { isPermanent } from '@newsfold/errors';
import type { Pool } from '@newsfold/db';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import { NORMALIZE_QUEUE, type NormalizeJobData } from '@newsfold/queue';
import { normalizeEntries, type NormalizeResult } from './normalize-entries.js';

export interface NormalizerOptions {
  pool: Pool;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  storyWindowMs: number;
  concurrency?: number;
  /** Articles and stories created, story assignment time, for /metrics. */
  metrics?: Metrics;
}

/** The normalize worker. A permanent error fails the job at once; anything else is retried by BullMQ with backoff. */
export function startNormalizer(options: NormalizerOptions): Worker<NormalizeJobData, NormalizeResult> {
  const worker = new Worker<NormalizeJobData, NormalizeResult>(
    NORMALIZE_QUEUE,
    async (job) => {
      const log = options.log.child({ feedId: job.data.feedId, jobId: job.id });
      try {
        return await normalizeEntries({ pool: options.pool, log, storyWindowMs: options.storyWindowMs, metrics: options.metrics }, job.data);
      } catch (error) {
        log.error({ err: error }, 'normalize failed');
        if (isPermanent(error)) throw new UnrecoverableError((error as Error).message);
        throw error;
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 4 },
  );
  worker.on('error', (error) => options.log.error({ err: error }, 'normalize worker error'));
  return worker;
}
