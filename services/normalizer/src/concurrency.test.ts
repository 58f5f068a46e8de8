import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed, type Pool } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { createTestDatabase, resetClustering, type TestDatabase } from '@newsfold/testing';
import { placePending } from '@newsfold/stories';
import { normalizeEntries, type NormalizeDeps } from './normalize-entries.js';
import { clusteringHealth } from './testdata/news-day.js';

/**
 * Normalizer replicas racing on the same headline: four outlets carry the same story (plus some
 * of their own), and however their jobs interleave, the result must equal one-at-a-time processing.
 * Every other headline reports a different event, in words no other event uses.
 */

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-26T08:00:00Z');
const SITES = ['alpha.example', 'beta.example', 'gamma.example', 'delta.example'];
const SHARED = 'Storm Brennan batters the northern coast';
const ROUNDS = 5;
const LINKS = 150;

/** Each outlet's own local news: eight events, no distinctive word shared between any two. */
const OWN: Record<string, [string, string]> = {
  'alpha.example': ['Harbour bridge closes for six weeks of repairs', 'Mill Lane brewery wins national cider award'],
  'beta.example': ['Hospital trust appoints Dr Amara Okafor as chief executive', 'Pupils plant 500 oak saplings at Greenbank Park'],
  'gamma.example': ['Police appeal for witnesses after jewellery shop raid in Ashford', 'Tram fares to rise by 20p from April'],
  'delta.example': ['Town library reopens after £2m refurbishment', 'Rugby club celebrates promotion with open-top bus parade'],
};
/** A headline each outlet shares with its neighbour (two pairs, two different events). */
const PAIRS = ['Opposition forces snap vote on housing bill', 'Cabin crew strike grounds flights at Eastfield airport'];
/** One agency story at one URL, headlined a little differently by each outlet that runs it. */
const WIRE = [
  'Central bank holds interest rates at 4%',
  'Central bank holds rates at 4% for third month',
  'Central bank keeps interest rates on hold at 4%',
  'Interest rates held at 4% by central bank',
];

function wire(guid: string, url: string, title: string, hours: number): WireEntry {
  return {
    guid,
    url,
    title,
    summary: null,
    contentHtml: null,
    author: null,
    publishedAt: new Date(T0 + hours * HOUR).toISOString(),
    categories: [],
    imageUrl: null,
  };
}

/** Entries for outlet i: the shared headline, two of its own, a headline shared with one neighbour, a wire link shared by all. */
function entries(i: number, site: string): WireEntry[] {
  const pair = Math.floor(i / 2);
  return [
    wire(`${site}-storm`, `https://${site}/storm`, i % 2 ? SHARED.toUpperCase() : `${SHARED}!`, i * 0.5),
    wire(`${site}-own-1`, `https://${site}/own-1`, OWN[site]?.[0] ?? '', 1),
    wire(`${site}-own-2`, `https://${site}/own-2`, OWN[site]?.[1] ?? '', 2),
    wire(`${site}-pair`, `https://${site}/pair`, PAIRS[pair] ?? '', 3 + i),
    wire(`${site}-wire`, 'https://wire.example/agency-report', WIRE[i] ?? '', 4),
    wire(`${site}-short`, `https://${site}/video`, 'Video', 5),
  ];
}

async function setUp(pool: Pool): Promise<FetchedEntries[]> {
  await resetClustering(pool);
  const jobs: FetchedEntries[] = [];
  for (const [i, site] of SITES.entries()) {
    const { feed } = await insertFeed(pool, { url: `https://${site}/feed.xml` });
    jobs.push({
      feedId: feed.id,
      feedUrl: feed.url,
      fetchedAt: new Date(T0 + 6 * HOUR).toISOString(),
      feed: { title: site, siteUrl: `https://${site}/`, language: 'en' },
      entries: entries(i, site),
    });
  }
  return jobs;
}

/** Each story as its articles' URLs and its outlet count: independent of ids and of which race won. */
async function grouping(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ sig: string }>(
    `SELECT s.source_count || ' ' || s.article_count || ' ' || string_agg(a.url, ',' ORDER BY a.url) AS sig
     FROM stories s JOIN articles a ON a.story_id = s.id GROUP BY s.id`,
  );
  return rows.map((r) => r.sig).sort();
}

describe('normalizeEntries under concurrency', () => {
  let concurrentDb: TestDatabase;
  let sequentialDb: TestDatabase;
  let expected: string[];
  const log = createLogger({ level: 'silent' });
  const deps = (db: TestDatabase): NormalizeDeps => ({ pool: db.pool, log });
  const place = (db: TestDatabase) => placePending(db.pool, { windowMs: 72 * HOUR });

  beforeAll(async () => {
    [concurrentDb, sequentialDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const jobs = await setUp(sequentialDb.pool);
    for (const job of jobs) await normalizeEntries(deps(sequentialDb), job);
    await place(sequentialDb);
    expected = await grouping(sequentialDb.pool);
  });
  afterAll(async () => {
    await concurrentDb?.drop();
    await sequentialDb?.drop();
  });

  it('groups sequential processing as expected', async () => {
    const { rows } = await sequentialDb.pool.query<{ title: string; sourceCount: number }>(
      `SELECT title, source_count AS "sourceCount" FROM stories WHERE title ILIKE 'storm brennan%'`,
    );
    expect(rows).toEqual([{ title: `${SHARED}!`, sourceCount: 4 }]);
    // 1 storm + 8 own + 2 pairs + 1 wire link + 4 "Video" (too short to match on) = 16.
    expect(expected, `stories (sources, articles, URLs):\n${expected.join('\n')}\n`).toHaveLength(16);
    expect(await clusteringHealth(sequentialDb.pool)).toEqual({ articles: 21, unassigned: 0, stories: 16, empty: 0, drift: 0 });
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('ends with the same stories when four feeds run at once (round %i)', async () => {
    const jobs = await setUp(concurrentDb.pool);
    await Promise.all(jobs.map((job) => normalizeEntries(deps(concurrentDb), job)));
    await place(concurrentDb);
    expect(await grouping(concurrentDb.pool)).toEqual(expected);
    expect(await clusteringHealth(concurrentDb.pool)).toEqual({ articles: 21, unassigned: 0, stories: 16, empty: 0, drift: 0 });
  });

  it('ends with the same stories when every job is also delivered twice at once', async () => {
    const jobs = await setUp(concurrentDb.pool);
    const results = await Promise.all([...jobs, ...jobs].map((job) => normalizeEntries(deps(concurrentDb), structuredClone(job))));
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(21);
    expect((await place(concurrentDb)).newStories).toBe(16);
    expect(await grouping(concurrentDb.pool)).toEqual(expected);
    expect(await clusteringHealth(concurrentDb.pool)).toEqual({ articles: 21, unassigned: 0, stories: 16, empty: 0, drift: 0 });
  });

  it('does not deadlock when two feeds carry the same links in opposite order', async () => {
    for (let round = 0; round < 3; round++) {
      await resetClustering(concurrentDb.pool);
      const links = Array.from({ length: LINKS }, (_, i) => `https://wire.example/item-${i}`);
      const jobs: FetchedEntries[] = [];
      for (const [i, site] of ['alpha.example', 'beta.example'].entries()) {
        const { feed } = await insertFeed(concurrentDb.pool, { url: `https://${site}/feed.xml` });
        const ordered = i === 0 ? links : [...links].reverse();
        jobs.push({
          feedId: feed.id,
          feedUrl: feed.url,
          fetchedAt: new Date(T0).toISOString(),
          feed: { title: site, siteUrl: `https://${site}/`, language: 'en' },
          entries: ordered.map((url, k) => wire(`${site}-${k}`, url, `Wire item ${url.slice(-3)} from the agency`, 1)),
        });
      }
      await Promise.all(jobs.map((job) => normalizeEntries(deps(concurrentDb), job)));
      await place(concurrentDb);
      expect(await clusteringHealth(concurrentDb.pool)).toMatchObject({ articles: LINKS, unassigned: 0, empty: 0, drift: 0 });
    }
  });
});
