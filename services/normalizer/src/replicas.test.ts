import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis, enqueueNormalize, pendingJobs, type NormalizeJobData, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { normalizeEntries, type NormalizeDeps, type NormalizeResult } from './normalize-entries.js';
import {
  clusteringHealth,
  dayEntries,
  dayJobs,
  describePlacements,
  goldGroups,
  loadNewsDay,
  placements,
  resetClustering,
  storyGroups,
} from './testdata/news-day.js';
import { startNormalizer } from './worker.js';

/**
 * "N normalizer replicas at once must not create two stories for one event": the Jeddah news day
 * (one job per outlet) replayed through four concurrent normalizers and through one must end in
 * the same stories — as sets of article URLs, whatever the ids and whichever replica won a race.
 * First with four normalizeEntries calls at once, then with four real BullMQ workers.
 */

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const ROUNDS = 6;
const WORKER_ROUNDS = 3;
const day = loadNewsDay();
const ARTICLES = dayEntries(day).length;
const log = createLogger({ level: 'silent' });

describe('four normalizer replicas on the Jeddah news day', () => {
  let sequentialDb: TestDatabase;
  let concurrentDb: TestDatabase;
  let expected: string[][];
  let expectedReport: string;
  const deps = (db: TestDatabase): NormalizeDeps => ({ pool: db.pool, log, storyWindowMs: WINDOW });

  beforeAll(async () => {
    [sequentialDb, concurrentDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    for (const job of await dayJobs(sequentialDb.pool, day)) await normalizeEntries(deps(sequentialDb), job);
    expected = await storyGroups(sequentialDb.pool);
    expectedReport = describePlacements(day, await placements(sequentialDb.pool));
  });
  afterAll(async () => {
    await concurrentDb?.drop();
    await sequentialDb?.drop();
  });

  it('one normalizer alone makes one story per event', async () => {
    expect(await clusteringHealth(sequentialDb.pool)).toMatchObject({ articles: ARTICLES, unassigned: 0, empty: 0, drift: 0 });
    expect(expected, `one normalizer, one job per outlet in turn:${expectedReport}`).toEqual(goldGroups(day));
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('four at once end with the same stories as one (round %i)', async () => {
    await resetClustering(concurrentDb.pool);
    const jobs = await dayJobs(concurrentDb.pool, day);
    await Promise.all(jobs.map((job) => normalizeEntries(deps(concurrentDb), job)));
    const report = describePlacements(day, await placements(concurrentDb.pool));
    expect(await storyGroups(concurrentDb.pool), `four at once:${report}\none at a time:${expectedReport}`).toEqual(expected);
    expect(await clusteringHealth(concurrentDb.pool)).toMatchObject({ articles: ARTICLES, unassigned: 0, stories: expected.length, empty: 0, drift: 0 });
  });

  describe('as BullMQ workers', () => {
    let redis: TestRedis;
    let connection: ReturnType<typeof createRedis>;
    let queues: Queues;
    let oneWorker: string[][];
    let oneWorkerReport: string;

    /**
     * Queues every job first, then starts `count` workers (concurrency 1 each, a Redis connection
     * each, like separate replicas) and waits until they have completed all of them.
     */
    async function drain(db: TestDatabase, count: number, tag: string): Promise<void> {
      await resetClustering(db.pool);
      const jobs: NormalizeJobData[] = await dayJobs(db.pool, day);
      for (const job of jobs) await enqueueNormalize(queues.normalize, job, tag);
      const failures: string[] = [];
      const workers: { worker: Worker<NormalizeJobData, NormalizeResult>; connection: ReturnType<typeof createRedis> }[] = [];
      const done = new Promise<void>((resolve, reject) => {
        let completed = 0;
        const timer = setTimeout(() => reject(new Error(`only ${completed} of ${jobs.length} jobs completed; failures: ${failures.join('; ')}`)), 45_000);
        for (let i = 0; i < count; i++) {
          const own = createRedis(redis.url);
          const worker = startNormalizer({ pool: db.pool, connection: own, prefix: redis.prefix, log, storyWindowMs: WINDOW, concurrency: 1 });
          worker.on('failed', (job, error) => failures.push(`${job?.id}: ${error.message}`));
          worker.on('completed', () => {
            completed += 1;
            if (completed === jobs.length) {
              clearTimeout(timer);
              resolve();
            }
          });
          workers.push({ worker, connection: own });
        }
      });
      try {
        await done;
      } finally {
        await Promise.all(workers.map(({ worker }) => worker.close()));
        for (const { connection: own } of workers) own.disconnect();
      }
      expect(failures).toEqual([]);
      expect(await pendingJobs(queues.normalize)).toBe(0);
    }

    beforeAll(async () => {
      redis = createTestRedis();
      connection = createRedis(redis.url);
      queues = createQueues(connection, redis.prefix);
      await drain(sequentialDb, 1, 'one-worker');
      oneWorker = await storyGroups(sequentialDb.pool);
      oneWorkerReport = describePlacements(day, await placements(sequentialDb.pool));
    });
    afterAll(async () => {
      await queues?.close();
      connection?.disconnect();
      await redis?.cleanup();
    });

    it('one worker draining the queue groups like one normalizer called in turn', () => {
      expect(oneWorker, oneWorkerReport).toEqual(expected);
    });

    it.each(Array.from({ length: WORKER_ROUNDS }, (_, i) => i + 1))('four workers end with the same stories as one (round %i)', async (round) => {
      await drain(concurrentDb, 4, `four-${round}`);
      const report = describePlacements(day, await placements(concurrentDb.pool));
      expect(await storyGroups(concurrentDb.pool), `four workers:${report}\none worker:${oneWorkerReport}`).toEqual(oneWorker);
      expect(await clusteringHealth(concurrentDb.pool)).toMatchObject({ articles: ARTICLES, unassigned: 0, stories: oneWorker.length, empty: 0, drift: 0 });
    });
  });
});
