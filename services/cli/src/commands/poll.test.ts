import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed } from '@newsfold/db';
import { createMetrics } from '@newsfold/metrics';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { createTestRuntime, type TestRuntime } from '../testdata/test-runtime.js';
import { pollOnce } from './poll.js';

const RSS = `<rss version="2.0"><channel><title>Loop</title><link>https://loop.example/</link>
<item><title>Harbour bridge reopens after repairs</title><link>https://loop.example/bridge</link><guid>bridge</guid></item>
<item><title>Council approves the tram line</title><link>https://loop.example/tram</link><guid>tram</guid></item>
</channel></rss>`;

describe('poll --once', () => {
  let t: TestRuntime;
  let server: LoopbackServer;
  beforeAll(async () => {
    t = await createTestRuntime();
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/feed.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
      else res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await server.close();
    await t.drop();
  });

  it('fetches every feed, normalises the entries with --wait, and counts it all in /metrics', { timeout: 30_000 }, async () => {
    const { rt, db, redis } = t;
    await insertFeed(db.pool, { url: `${server.url}/feed.xml` });
    await insertFeed(db.pool, { url: `${server.url}/gone.xml` });
    expect(await pollOnce(rt, { wait: true })).toEqual({ feeds: 2, outcomes: { skipped: 0, 'not-modified': 0, unchanged: 0, enqueued: 1, failed: 1 } });
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE story_id IS NOT NULL');
    expect(rows[0]?.n).toBe(2);
    // What the API's /metrics renders: every process's counts, this command's included.
    const text = await createMetrics(rt.redis, redis.prefix).render();
    expect(text).toContain('newsfold_fetches_total{outcome="enqueued"} 1');
    expect(text).toContain('newsfold_fetches_total{outcome="failed"} 1');
    expect(text).toContain('newsfold_articles_created_total 2');
  });
});
