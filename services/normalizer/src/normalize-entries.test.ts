import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NewsfoldError } from '@newsfold/errors';
import { countTopicStories, getFeed, getStory, insertFeed, recordFetchSuccess, upsertTopic } from '@newsfold/db';
import { placePending, recomputeTopic, removeFeed } from '@newsfold/stories';
import { createLogger } from '@newsfold/logging';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { createTestDatabase, resetClustering, type TestDatabase } from '@newsfold/testing';
import { normalizeEntries, type NormalizeDeps, type NormalizeResult } from './normalize-entries.js';

/** normalizeEntries against a real Postgres: idempotent replays, article identity, story stats. */

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-26T08:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

/** Distinct local news items, one per guid: no two share a distinctive word. */
const ITEMS: Record<string, [title: string, summary: string]> = {
  a1: [
    'City council approves tram line to the airport',
    'The £1.2bn extension adds nine stops and is due to open in 2029, councillors decided after a four-hour debate.',
  ],
  a2: [
    'Hospital waiting lists fall for third month running',
    'Figures from the health board show 12,000 fewer patients waiting more than 18 weeks for treatment.',
  ],
  'top-1': [
    'Storm Brennan brings 90mph gusts to western ports',
    'Ferries were cancelled and coastal roads closed as the Met Office issued an amber warning.',
  ],
};

/** A feed entry for one of ITEMS, or for another guid whose title the caller gives. */
function wire(guid: string, overrides: Partial<WireEntry> = {}): WireEntry {
  const [title, summary] = ITEMS[guid] ?? [overrides.title, null];
  if (title === undefined) throw new Error(`no headline for ${guid}`);
  return {
    guid,
    url: `https://news.example/${guid}`,
    title,
    summary,
    contentHtml: null,
    author: null,
    publishedAt: at(0),
    categories: [],
    imageUrl: null,
    ...overrides,
  };
}

function jobFor(feed: { id: string; url: string }, site: string, entries: WireEntry[]): FetchedEntries {
  return {
    feedId: feed.id,
    feedUrl: feed.url,
    fetchedAt: at(1),
    feed: { title: `${site} news`, siteUrl: `https://${site}/`, language: 'en' },
    entries,
  };
}

describe('normalizeEntries', () => {
  let db: TestDatabase;
  let deps: NormalizeDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = { pool: db.pool, log: createLogger({ level: 'silent' }) };
  });
  /** A job normalised, then its pending articles placed, as the story assigner would. */
  async function normalize(data: FetchedEntries): Promise<NormalizeResult> {
    const result = await normalizeEntries(deps, data);
    await placePending(db.pool, { windowMs: 72 * HOUR });
    return result;
  }
  afterAll(() => db?.drop());
  beforeEach(async () => {
    await resetClustering(db.pool);
  });

  async function feed(site: string, path = 'feed.xml') {
    return (await insertFeed(db.pool, { url: `https://${site}/${path}` })).feed;
  }
  async function counts() {
    const { rows } = await db.pool.query<{ articles: number; stories: number; outlets: number }>(
      `SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM stories) AS stories,
              (SELECT count(*)::int FROM outlets) AS outlets`,
    );
    return rows[0];
  }
  async function storyOf(guid: string) {
    const { rows } = await db.pool.query<{ id: string }>('SELECT story_id::text AS id FROM articles WHERE guid = $1', [guid]);
    const story = rows[0] ? await getStory(db.pool, rows[0].id) : null;
    if (!story) throw new Error(`no story for ${guid}`);
    return story;
  }

  it('leaves the same rows when a job is replayed', async () => {
    const f = await feed('alpha.example');
    // a3 is a1's headline again under another link (a syndicated copy): it joins a1's story.
    const data = jobFor(f, 'alpha.example', [wire('a1'), wire('a2'), wire('a3', { title: ITEMS.a1![0] })]);
    const first = await normalize(data);
    expect(first).toEqual({ created: 3, changed: 0, unchanged: 0 });
    const after = await counts();
    expect(after).toEqual({ articles: 3, stories: 2, outlets: 1 });

    const replay = await normalize(structuredClone(data));
    expect(replay).toEqual({ created: 0, changed: 0, unchanged: 3 });
    expect(await counts()).toEqual(after);
    expect(await getFeed(db.pool, f.id)).toMatchObject({ title: 'alpha.example news', siteUrl: 'https://alpha.example/' });
  });

  it('updates a changed entry and its story title without a new story', async () => {
    const f = await feed('alpha.example');
    await normalize(jobFor(f, 'alpha.example', [wire('a1')]));
    const corrected = 'City council approves £1.2bn tram extension to the airport';
    const result = await normalize(jobFor(f, 'alpha.example', [wire('a1', { title: corrected })]));
    expect(result).toMatchObject({ created: 0, changed: 1 });
    expect(await counts()).toMatchObject({ articles: 1, stories: 1 });
    expect((await storyOf('a1')).title).toBe(corrected);
  });

  it('stores one article for one canonical URL carried by two feeds', async () => {
    const top = await feed('alpha.example', 'top.xml');
    const world = await feed('alpha.example', 'world.xml');
    const url = 'https://alpha.example/news/storm';
    await normalize(jobFor(top, 'alpha.example', [wire('top-1', { url: `${url}?utm_source=top` })]));
    // The world feed carries the same article under its own guid (and, as feeds do, a slightly different title).
    const title = `${ITEMS['top-1']![0]} – live`;
    const second = await normalize(jobFor(world, 'alpha.example', [wire('world-9', { url: `${url}#comments`, title })]));
    expect(second).toMatchObject({ created: 0 });
    expect(await counts()).toEqual({ articles: 1, stories: 1, outlets: 1 });
    const { rows } = await db.pool.query('SELECT url, feed_id::text AS "feedId" FROM articles');
    expect(rows).toEqual([{ url, feedId: top.id }]);
  });

  it("puts a story in the topics of every feed carrying its article, and keeps the article when the feed that stored it is removed", async () => {
    const top = (await insertFeed(db.pool, { url: 'https://alpha.example/top.xml', tags: ['top'] })).feed;
    const world = (await insertFeed(db.pool, { url: 'https://alpha.example/world.xml', tags: ['world'] })).feed;
    const beta = await feed('beta.example');
    await upsertTopic(db.pool, { slug: 'world-news', title: 'World', tags: ['world'] });
    await recomputeTopic(db.pool, 'world-news');
    const url = 'https://alpha.example/news/storm';
    const [title, summary] = ITEMS['top-1']!;
    await normalize(jobFor(top, 'alpha.example', [wire('top-1', { url })]));
    await normalize(jobFor(beta, 'beta.example', [wire('beta-1', { url: 'https://beta.example/storm', title, summary })]));
    const storyId = (await storyOf('beta-1')).id;
    expect(await countTopicStories(db.pool, 'world-news')).toBe(0);
    // The world feed lists the same link: stored once (under top), carried by both.
    await normalize(jobFor(world, 'alpha.example', [wire('world-9', { url, title, summary })]));
    expect(await getStory(db.pool, storyId)).toMatchObject({ sourceCount: 2, articleCount: 2 });
    expect(await countTopicStories(db.pool, 'world-news')).toBe(1);
    // The world feed was fetched: its next fetch would be conditional, and answered 304.
    const later = new Date(Date.now() + 6 * HOUR);
    await recordFetchSuccess(db.pool, world.id, { status: 200, etag: '"w1"', lastModified: null, bodyHash: 'w-body', nextFetchAt: later });

    // Unsubscribing from top hands the article to world: nothing to re-fetch, nothing lost.
    await removeFeed(db.pool, top.id);
    expect(await getStory(db.pool, storyId)).toMatchObject({ sourceCount: 2, articleCount: 2 });
    expect(await countTopicStories(db.pool, 'world-news')).toBe(1);
    expect(await getFeed(db.pool, world.id)).toMatchObject({ etag: '"w1"', bodyHash: 'w-body' });
    const { rows } = await db.pool.query('SELECT feed_id::text AS "feedId" FROM articles WHERE url = $1', [url]);
    expect(rows).toEqual([{ feedId: world.id }]);
  });

  it("credits an article to the outlet whose site it is on, even when an aggregator's feed listed it first", async () => {
    const picks = await feed('aggreg.example', 'picks.xml');
    const alpha = await feed('alpha.example');
    const url = 'https://alpha.example/news/chess';
    const [title, summary] = ITEMS['top-1']!;
    await normalize(jobFor(picks, 'aggreg.example', [wire('pick-1', { url, title, summary })]));
    expect((await storyOf('pick-1')).sources.map((s) => s.outlet)).toEqual(['aggreg.example news']);
    await normalize(jobFor(alpha, 'alpha.example', [wire('alpha-1', { url, title, summary })]));
    const story = await storyOf('pick-1');
    expect(story.sources.map((s) => [s.outlet, s.feedId])).toEqual([['alpha.example news', alpha.id]]);
    expect(story).toMatchObject({ sourceCount: 1, articleCount: 1 });
    // An aggregator listing it again changes nothing.
    await normalize(jobFor(picks, 'aggreg.example', [wire('pick-1', { url, title, summary })]));
    expect((await storyOf('pick-1')).sources.map((s) => s.outlet)).toEqual(['alpha.example news']);
  });

  it('fails permanently for a feed removed before its job runs', async () => {
    const f = await feed('alpha.example');
    const data = jobFor(f, 'alpha.example', [wire('a1')]);
    await removeFeed(db.pool, f.id);
    const error = await normalizeEntries(deps, data).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NewsfoldError);
    expect(error).toMatchObject({ code: 'feed_not_found', permanent: true });
    expect(await counts()).toEqual({ articles: 0, stories: 0, outlets: 0 });
  });

  it('keeps the rest of a feed when one entry has an unreadable date', async () => {
    const f = await feed('alpha.example');
    const result = await normalize(jobFor(f, 'alpha.example', [wire('a1'), wire('a2', { publishedAt: 'garbage' })]));
    expect(result.created).toBe(2);
    const { rows } = await db.pool.query('SELECT guid, published_at FROM articles ORDER BY guid');
    expect(rows).toEqual([
      { guid: 'a1', published_at: new Date(at(0)) },
      { guid: 'a2', published_at: null },
    ]);
  });

  it('skips an entry with nothing to show (no headline, text or link)', async () => {
    const f = await feed('alpha.example');
    const empty = wire('only-a-date', { title: '  ', url: null, summary: null, contentHtml: null });
    const result = await normalize(jobFor(f, 'alpha.example', [wire('a1'), empty]));
    expect(result.created).toBe(1);
    const { rows } = await db.pool.query('SELECT guid FROM articles');
    expect(rows).toEqual([{ guid: 'a1' }]);
  });

  describe('story stats', () => {
    const HEADLINE = 'Storm Brennan batters the coast';

    it('leads with the earliest article, dates updatedAt by the latest outlet to join, and counts outlets', async () => {
      const alphaTop = await feed('alpha.example', 'top.xml');
      const alphaWorld = await feed('alpha.example', 'world.xml');
      const beta = await feed('beta.example');
      // Arrival order differs from publication order on purpose.
      await normalize(jobFor(beta, 'beta.example', [wire('beta-1', { title: `${HEADLINE}!`, publishedAt: at(2) })]));
      await normalize(jobFor(alphaWorld, 'alpha.example', [wire('alpha-w', { title: HEADLINE.toUpperCase(), publishedAt: at(5) })]));
      await normalize(jobFor(alphaTop, 'alpha.example', [wire('alpha-t', { title: `“${HEADLINE}”`, publishedAt: at(0) })]));

      const story = await storyOf('beta-1');
      expect((await storyOf('alpha-w')).id).toBe(story.id);
      expect((await storyOf('alpha-t')).id).toBe(story.id);
      expect(story.title).toBe(`“${HEADLINE}”`);
      expect(story.firstSeenAt.toISOString()).toBe(at(0));
      // Alpha joined at 0h (its first article), beta at 2h; alpha's second feed at 5h adds no outlet.
      expect(story.updatedAt.toISOString()).toBe(at(2));
      expect(story).toMatchObject({ sourceCount: 2, articleCount: 3 });
      expect(story.sources.map((s) => s.articleId)).toHaveLength(3);
      expect(await counts()).toEqual({ articles: 3, stories: 1, outlets: 2 });
    });

    it('dates updatedAt by when a late outlet was first seen, but at most a day after its own date', async () => {
      const alpha = await feed('alpha.example');
      const beta = await feed('beta.example');
      const gamma = await feed('gamma.example');
      const fetched = (job: FetchedEntries, hours: number): FetchedEntries => ({ ...job, fetchedAt: at(hours) });
      await normalize(fetched(jobFor(alpha, 'alpha.example', [wire('a', { title: HEADLINE, publishedAt: at(-120) })]), -119.5));
      expect((await storyOf('a')).updatedAt.toISOString()).toBe(at(-119.5));
      // Beta published an hour later but was fetched only eight hours after that: the story is
      // updated when beta arrives, where a reader notices, not back among hours-old entries.
      await normalize(fetched(jobFor(beta, 'beta.example', [wire('b', { title: HEADLINE, publishedAt: at(-119) })]), -111));
      expect((await storyOf('a')).updatedAt.toISOString()).toBe(at(-111));
      // Gamma, subscribed to days later, brings its old article along: counted from a day after
      // the article's date, so the story is not resurfaced as news.
      await normalize(fetched(jobFor(gamma, 'gamma.example', [wire('g', { title: HEADLINE, publishedAt: at(-119.75) })]), -20));
      const story = await storyOf('g');
      expect(story.id).toBe((await storyOf('a')).id);
      expect(story).toMatchObject({ sourceCount: 3 });
      expect(story.updatedAt.toISOString()).toBe(at(-119.75 + 24));
    });

    it('stores a feed title with control characters and line breaks as one clean line, for the feed and its outlet', async () => {
      const ansi = await feed('ansi.example');
      const job = jobFor(ansi, 'ansi.example', [wire('ansi-1', { title: HEADLINE, publishedAt: at(0) })]);
      await normalize({ ...job, feed: { ...job.feed, title: 'Ansi \u001b[31mRED\u001b]0;pwned\u0007 Feed\n  Second line' } });
      const row = await getFeed(db.pool, ansi.id);
      expect(row?.title).toBe('Ansi [31mRED]0;pwned Feed Second line');
      expect((await storyOf('ansi-1')).sources[0]?.outlet).toBe('Ansi [31mRED]0;pwned Feed Second line');
    });

    it("cuts a story's summary at a word, marked as cut", async () => {
      const alpha = await feed('alpha.example');
      const summary = Array.from({ length: 16 }, (_, i) => `Officials counted damage along stretch ${i + 1} of the seafront.`).join(' ');
      await normalize(jobFor(alpha, 'alpha.example', [wire('long', { title: HEADLINE, summary, publishedAt: at(0) })]));
      const story = await storyOf('long');
      expect(story.summary?.length).toBeLessThanOrEqual(601);
      expect(story.summary?.endsWith('…')).toBe(true);
      // What comes before the mark is whole words of the original.
      expect(summary.startsWith(`${story.summary?.slice(0, -1)} `)).toBe(true);
    });

    it("cuts a story's summary without spaces to cut at at 600 characters, not at an early space", async () => {
      const alpha = await feed('alpha.example');
      const summary = `Re: ${'x'.repeat(700)}`;
      await normalize(jobFor(alpha, 'alpha.example', [wire('unspaced', { title: HEADLINE, summary, publishedAt: at(0) })]));
      expect((await storyOf('unspaced')).summary).toBe(`${summary.slice(0, 600)}…`);
    });

    it('counts two feeds of one outlet as one source', async () => {
      const top = await feed('alpha.example', 'top.xml');
      const world = await feed('alpha.example', 'world.xml');
      await normalize(jobFor(top, 'alpha.example', [wire('t1', { title: HEADLINE, publishedAt: at(1) })]));
      await normalize(jobFor(world, 'alpha.example', [wire('w1', { title: HEADLINE, publishedAt: at(3) })]));
      const story = await storyOf('t1');
      expect((await storyOf('w1')).id).toBe(story.id);
      expect(story).toMatchObject({ sourceCount: 1, articleCount: 2 });
      expect(story.updatedAt.toISOString()).toBe(at(1));
    });

    it('keeps a same headline outside the story window apart', async () => {
      const alpha = await feed('alpha.example');
      const beta = await feed('beta.example');
      await normalize(jobFor(alpha, 'alpha.example', [wire('old', { title: HEADLINE, publishedAt: at(0) })]));
      await normalize(jobFor(beta, 'beta.example', [wire('new', { title: HEADLINE, publishedAt: at(24 * 10) })]));
      expect((await storyOf('old')).id).not.toBe((await storyOf('new')).id);
    });
  });
});
