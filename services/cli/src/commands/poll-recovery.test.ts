import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed } from '@newsfold/db';
import { fetchFeed } from '@newsfold/poller';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { createTestRuntime, type TestRuntime } from '../testdata/test-runtime.js';
import { fetchOptions, pollBounds } from '../runtime.js';
import { pollOnce } from './poll.js';

// Fixed once: a body built from the clock would differ when fetched again a second later.
const NOW = Date.now();

function rss(feed: number, items: number): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const pub = new Date(NOW - (i + 1) * 600_000).toUTCString();
    return `<item><title>Report ${feed}-${i} on quarry permits in Vellmark district ${i}</title>
      <link>https://outlet${feed}.example/news/${i}</link><guid>n-${i}</guid><pubDate>${pub}</pubDate></item>`;
  }).join('');
  return `<rss version="2.0"><channel><title>Outlet ${feed}</title><link>https://outlet${feed}.example/</link>${entries}</channel></rss>`;
}

/**
 * Redis is a cache of work, never its only record: the poller's fetch is recorded in Postgres
 * together with the entries it fetched, so when Redis loses the queued normalize jobs (FLUSHALL,
 * a restart without persistence, an evicted key), the same body fetched again is "unchanged" and
 * yet no article is lost.
 */
describe('queued work lost in Redis', () => {
  let t: TestRuntime;
  let server: LoopbackServer;
  const FEEDS = 3;
  const ITEMS = 30;

  beforeAll(async () => {
    t = await createTestRuntime();
    server = await startLoopbackServer((req, res) => {
      const n = /^\/feed-(\d+)\.xml$/.exec(req.url ?? '')?.[1];
      if (n) res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(Number(n), ITEMS));
      else res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('stores every fetched entry after the normalize jobs are wiped from Redis', async () => {
    const { rt, db } = t;
    const deps = { pool: rt.pool, normalizeQueue: rt.queues.normalize, log: rt.log, fetch: fetchOptions(rt.config), bounds: pollBounds(rt.config) };
    for (let n = 0; n < FEEDS; n++) {
      const { feed } = await insertFeed(db.pool, { url: `${server.url}/feed-${n}.xml` });
      // What the poller service does: fetch, record the body as seen, queue its normalisation.
      expect((await fetchFeed(deps, feed.id)).kind).toBe('enqueued');
    }
    // Redis loses every key of this instance before any normalizer ran.
    await t.redis.cleanup();

    const summary = await pollOnce(rt, { wait: true });
    // The bodies did not change: the poller rightly fetches nothing new...
    expect(summary.outcomes.unchanged).toBe(FEEDS);
    // ...and the entries it had fetched before are stored all the same, each once, each in a story.
    const { rows } = await db.pool.query<{ articles: number; urls: number; placed: number }>(
      `SELECT count(*)::int AS articles, count(DISTINCT url)::int AS urls, count(story_id)::int AS placed FROM articles`,
    );
    expect(rows[0]).toEqual({ articles: FEEDS * ITEMS, urls: FEEDS * ITEMS, placed: FEEDS * ITEMS });
    const left = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM entry_batches');
    expect(left.rows[0]?.n).toBe(0);
  });
});
