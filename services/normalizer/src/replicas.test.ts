import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis, pendingJobs, type FetchedEntries, type Queues } from '@newsfold/queue';
import { createTestDatabase, queueEntries, resetClustering, createTestRedis, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { placePending, settleStories } from '@newsfold/stories';
import { normalizeEntries, type NormalizeDeps } from './normalize-entries.js';
import {
  clusteringHealth,
  dayEntries,
  dayJobs,
  describePlacements,
  goldGroups,
  loadNewsDay,
  placements,
  storyGroups,
} from './testdata/news-day.js';
import { startNormalizer, type Normalizer } from './worker.js';

/**
 * Replicas on an ambiguous news day: the Jeddah fixture. One report ("Russia pounds Ukrainian
 * cities with missiles and drones overnight") scores 0.31 against the Moscow drone story, just over
 * the join threshold, when that story is there before the Odesa strike's: online, which articles
 * are placed first can change that decision. Through concurrent normalizeEntries calls and through
 * four real BullMQ workers, nothing may be lost, duplicated, left unplaced or miscounted, and once
 * settled the grouping is the same as one normalizer's, exactly.
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
  const deps = (db: TestDatabase): NormalizeDeps => ({ pool: db.pool, log });

  beforeAll(async () => {
    [sequentialDb, concurrentDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    for (const job of await dayJobs(sequentialDb.pool, day)) await normalizeEntries(deps(sequentialDb), job);
    await placePending(sequentialDb.pool, { windowMs: WINDOW });
    await settleStories(sequentialDb.pool, { windowMs: WINDOW, spanMs: WINDOW });
    expected = await storyGroups(sequentialDb.pool);
  });
  afterAll(async () => {
    await concurrentDb?.drop();
    await sequentialDb?.drop();
  });

  it('one normalizer alone places every article, grouped by event', async () => {
    expect(await clusteringHealth(sequentialDb.pool)).toMatchObject({ articles: ARTICLES, unassigned: 0, empty: 0, drift: 0 });
    expect(expected.flat()).toHaveLength(ARTICLES);
    expect(expected).toEqual(goldGroups(day));
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('four at once lose, duplicate and miscount nothing (round %i)', async () => {
    await resetClustering(concurrentDb.pool);
    const jobs = await dayJobs(concurrentDb.pool, day);
    await Promise.all(jobs.map((job) => normalizeEntries(deps(concurrentDb), job)));
    await placePending(concurrentDb.pool, { windowMs: WINDOW });
    await settleStories(concurrentDb.pool, { windowMs: WINDOW, spanMs: WINDOW });
    const groups = await storyGroups(concurrentDb.pool);
    expect(groups).toEqual(expected);
    expect(await clusteringHealth(concurrentDb.pool)).toMatchObject({ articles: ARTICLES, unassigned: 0, stories: groups.length, empty: 0, drift: 0 });
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
      const jobs: FetchedEntries[] = await dayJobs(db.pool, day);
      for (const [i, job] of jobs.entries()) await queueEntries(db.pool, queues.normalize, job, `${tag}-${i}`);
      const failures: string[] = [];
      const workers: { worker: Normalizer; connection: ReturnType<typeof createRedis> }[] = [];
      const done = new Promise<void>((resolve, reject) => {
        let completed = 0;
        const timer = setTimeout(() => reject(new Error(`only ${completed} of ${jobs.length} jobs completed; failures: ${failures.join('; ')}`)), 45_000);
        for (let i = 0; i < count; i++) {
          const own = createRedis(redis.url);
          // Placed once they are all stored, in one order whatever the workers' timing: the
          // replicas' part here is storing, which is what may lose or double articles.
          const worker = startNormalizer({ pool: db.pool, connection: own, prefix: redis.prefix, log, storyWindowMs: WINDOW, concurrency: 1, assign: false });
          worker.worker.on('failed', (job, error) => failures.push(`${job?.id}: ${error.message}`));
          worker.worker.on('completed', () => {
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
      await placePending(db.pool, { windowMs: WINDOW });
      await settleStories(db.pool, { windowMs: WINDOW, spanMs: WINDOW });
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

    it.each(Array.from({ length: WORKER_ROUNDS }, (_, i) => i + 1))('four workers lose, duplicate and miscount nothing (round %i)', async (round) => {
      await drain(concurrentDb, 4, `four-${round}`);
      const groups = await storyGroups(concurrentDb.pool);
      expect(groups).toEqual(oneWorker);
      expect(await clusteringHealth(concurrentDb.pool)).toMatchObject({ articles: ARTICLES, unassigned: 0, stories: groups.length, empty: 0, drift: 0 });
    });
  });
});
