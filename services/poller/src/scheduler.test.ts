import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertFeed } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis, enqueueFetches, pendingJobs, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { tick, type SchedulerOptions } from './scheduler.js';

/**
 * The scheduler tick against real Postgres and Redis: claims are exclusive (SKIP LOCKED plus a
 * lease), a fetch job per feed is deduplicated by feed id, and Postgres alone decides what is due,
 * so a Redis wiped clean loses nothing once the lease runs out.
 */

const FEEDS = 50;

describe('scheduler tick', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let options: SchedulerOptions;
  let feedIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    options = { pool: db.pool, fetchQueue: queues.fetch, log: createLogger({ level: 'silent' }), leaseMs: 10 * 60_000 };
  });

  afterAll(async () => {
    await queues?.close();
    connection?.disconnect();
    await redis?.cleanup();
    await db?.drop();
  });

  beforeEach(async () => {
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets RESTART IDENTITY CASCADE');
    await queues.fetch.obliterate({ force: true });
    feedIds = [];
    for (let i = 0; i < FEEDS; i++) feedIds.push((await insertFeed(db.pool, { url: `https://outlet${i}.example/feed.xml` })).feed.id);
  });

  async function queuedFeedIds(): Promise<string[]> {
    const jobs = await queues.fetch.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    return jobs.map((j) => j.data.feedId).sort();
  }

  it('claims each due feed exactly once across concurrent ticks, and enqueues one fetch per feed', async () => {
    const [a, b] = await Promise.all([tick(options), tick(options)]);
    const claimed = [...(a ?? []), ...(b ?? [])];
    expect(claimed).toHaveLength(FEEDS);
    expect(new Set(claimed).size).toBe(FEEDS);
    expect(await pendingJobs(queues.fetch)).toBe(FEEDS);
    expect(await queuedFeedIds()).toEqual([...feedIds].sort());
    // The claim leased every feed: an immediate tick finds nothing due.
    expect(await tick(options)).toEqual([]);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM feeds WHERE next_fetch_at > now() + interval '9 minutes'`,
    );
    expect(rows[0]?.n).toBe(FEEDS);
  });

  it('shares the due feeds between many small concurrent ticks without overlap', async () => {
    const small = { ...options, batchSize: 7 };
    const claimedBy = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const mine: string[] = [];
        for (;;) {
          const ids = await tick(small);
          if (ids.length === 0) return mine;
          mine.push(...ids);
        }
      }),
    );
    const all = claimedBy.flat();
    expect(all).toHaveLength(FEEDS);
    expect(new Set(all).size).toBe(FEEDS);
    expect(await pendingJobs(queues.fetch)).toBe(FEEDS);
  });

  it('loses nothing when Redis is wiped: the lease expires and the next tick enqueues again', async () => {
    expect(await tick(options)).toHaveLength(FEEDS);
    expect(await pendingJobs(queues.fetch)).toBe(FEEDS);
    await redis.cleanup();
    expect(await pendingJobs(queues.fetch)).toBe(0);
    // Still leased: nothing is claimed until the lease runs out.
    expect(await tick(options)).toEqual([]);

    await db.pool.query('UPDATE feeds SET next_fetch_at = now()');
    const again = await tick(options);
    expect(again.sort()).toEqual([...feedIds].sort());
    expect(await queuedFeedIds()).toEqual([...feedIds].sort());
  });

  it('keeps one pending fetch per feed when a lease expires while its job still waits', async () => {
    expect(await tick(options)).toHaveLength(FEEDS);
    await db.pool.query('UPDATE feeds SET next_fetch_at = now()');
    expect(await tick(options)).toHaveLength(FEEDS);
    expect(await pendingJobs(queues.fetch)).toBe(FEEDS);
  });

  it('deduplicates enqueueFetches for the same feed while the first job waits', async () => {
    const id = feedIds[0] as string;
    await enqueueFetches(queues.fetch, [id]);
    await enqueueFetches(queues.fetch, [id]);
    await enqueueFetches(queues.fetch, [id, id]);
    expect(await queuedFeedIds()).toEqual([id]);
  });

  it('skips disabled feeds and feeds that are not yet due', async () => {
    const [off, later] = feedIds;
    await db.pool.query(`UPDATE feeds SET enabled = false WHERE id = $1`, [off]);
    await db.pool.query(`UPDATE feeds SET next_fetch_at = now() + interval '1 hour' WHERE id = $1`, [later]);
    const claimed = await tick(options);
    expect(claimed).toHaveLength(FEEDS - 2);
    expect(claimed).not.toContain(off);
    expect(claimed).not.toContain(later);
  });
});
