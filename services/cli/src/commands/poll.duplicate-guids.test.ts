import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed } from '@newsfold/db';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { createTestRuntime, type TestRuntime } from '../testdata/test-runtime.js';
import { pollOnce } from './poll.js';

/**
 * A feed whose items share one guid (here the site's home page, a common CMS slip) but link to
 * three pages: three articles, whatever order the feed lists them in from one fetch to the next.
 */

const ITEMS = {
  bridge: ['Harbour bridge reopens after repairs', 'Engineers replaced the rusted cables over six months.'],
  tram: ['Council approves the tram line', 'Nine stops will link the airport to the centre by 2029.'],
  library: ['Library extends its opening hours', 'The central library will open on Sundays from March.'],
} as const;
type Slug = keyof typeof ITEMS;

function rss(order: Slug[]): string {
  const items = order.map(
    (slug) =>
      `<item><title>${ITEMS[slug][0]}</title><link>https://loop.example/${slug}</link><guid isPermaLink="false">https://loop.example/</guid>` +
      `<description>${ITEMS[slug][1]}</description></item>`,
  );
  return `<rss version="2.0"><channel><title>Loop</title><link>https://loop.example/</link>${items.join('')}</channel></rss>`;
}

describe('poll --once with items sharing a guid', () => {
  let t: TestRuntime;
  let server: LoopbackServer;
  let body = '';
  beforeAll(async () => {
    t = await createTestRuntime();
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
    });
  });
  afterAll(async () => {
    await server.close();
    await t.drop();
  });

  async function articles() {
    const { rows } = await t.db.pool.query<{ id: string; url: string; title: string; summary: string; updatedAt: Date }>(
      `SELECT id::text, url, title, summary, updated_at AS "updatedAt" FROM articles ORDER BY url`,
    );
    return rows;
  }

  it('stores one article per link, and a refetch in another order rewrites none', { timeout: 60_000 }, async () => {
    await insertFeed(t.db.pool, { url: `${server.url}/feed.xml` });
    body = rss(['bridge', 'tram', 'library']);
    expect((await pollOnce(t.rt, { wait: true })).outcomes.enqueued).toBe(1);
    const first = await articles();
    expect(first.map((a) => [a.url, a.title, a.summary])).toEqual(
      (['bridge', 'library', 'tram'] as const).map((slug) => [`https://loop.example/${slug}`, ITEMS[slug][0], ITEMS[slug][1]]),
    );

    body = rss(['library', 'bridge', 'tram']);
    expect((await pollOnce(t.rt, { wait: true })).outcomes.enqueued).toBe(1);
    // The same rows, untouched: no item's content was written over another's.
    expect(await articles()).toEqual(first);
  });
});
