import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertFeed } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { createTestDatabase, resetClustering, type TestDatabase } from '@newsfold/testing';
import { withEntryIdentities } from './entry-identity.js';
import { normalizeEntries, type NormalizeDeps } from './normalize-entries.js';
import { toArticle } from './to-article.js';

/** Entries sharing a guid: one article per link, stable across refetches in any order. */

const FEED_URL = 'https://shared.example/feed.xml';
const GUID = 'https://shared.example/';
const PAGES = {
  bridge: ['Harbour bridge reopens after repairs', 'Engineers replaced the rusted cables over six months.'],
  tram: ['Council approves the tram line', 'Nine stops will link the airport to the centre by 2029.'],
  library: ['Library extends its opening hours', 'The central library will open on Sundays from March.'],
} as const;
type Page = keyof typeof PAGES;

/** The entry for a page, under the shared guid unless told otherwise. */
function entry(page: Page, overrides: Partial<WireEntry> = {}): WireEntry {
  return {
    guid: GUID,
    url: `https://shared.example/${page}`,
    title: PAGES[page][0],
    summary: PAGES[page][1],
    contentHtml: null,
    author: null,
    publishedAt: '2026-11-26T08:00:00.000Z',
    categories: [],
    imageUrl: null,
    ...overrides,
  };
}

const guidsOf = (entries: WireEntry[]) => withEntryIdentities(entries.map((e) => toArticle(e, FEED_URL))).map((a) => a.guid);

describe('withEntryIdentities', () => {
  it('gives entries sharing a guid but linking to different pages a guid each, whatever their order', () => {
    const [bridge, tram, library] = guidsOf([entry('bridge'), entry('tram'), entry('library')]);
    expect(new Set([bridge, tram, library]).size).toBe(3);
    // None keeps the bare guid, and each keeps its own in another order.
    expect([bridge, tram, library]).not.toContain(GUID);
    expect(guidsOf([entry('library'), entry('bridge'), entry('tram')])).toEqual([library, bridge, tram]);
    // With only two of them left, still the same.
    expect(guidsOf([entry('tram'), entry('bridge')])).toEqual([tram, bridge]);
  });

  it('keeps the bare guid for entries sharing one canonical link, or no link', () => {
    const tracked = entry('bridge', { url: 'https://shared.example/bridge?utm_source=rss', title: 'Bridge again' });
    expect(guidsOf([entry('bridge'), tracked])).toEqual([GUID, GUID]);
    expect(guidsOf([entry('bridge'), entry('tram', { url: null })])).toEqual([GUID, GUID]);
    expect(guidsOf([entry('bridge', { url: null }), entry('tram', { url: null })])).toEqual([GUID, GUID]);
    expect(guidsOf([entry('bridge', { guid: 'b' }), entry('tram', { guid: 't' })])).toEqual(['b', 't']);
  });

  it('gives an entry with no link its own guid among entries sharing its guid with links', () => {
    const guids = guidsOf([entry('bridge'), entry('tram'), entry('library', { url: null })]);
    expect(new Set(guids).size).toBe(3);
    expect(guids[2]).toBe(`${GUID}#no-link`);
  });
});

describe('normalizeEntries with entries sharing a guid', () => {
  let db: TestDatabase;
  let deps: NormalizeDeps;
  let feedId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = { pool: db.pool, log: createLogger({ level: 'silent' }) };
  });
  afterAll(() => db?.drop());
  beforeEach(async () => {
    await resetClustering(db.pool);
    feedId = (await insertFeed(db.pool, { url: FEED_URL })).feed.id;
  });

  const job = (entries: WireEntry[]): FetchedEntries => ({
    feedId,
    feedUrl: FEED_URL,
    fetchedAt: '2026-11-26T09:00:00.000Z',
    feed: { title: 'Shared', siteUrl: 'https://shared.example/', language: 'en' },
    entries,
  });

  /** Every article of the feed by link: its row id and what it says. */
  async function stored(): Promise<Record<string, { id: string; title: string; summary: string }>> {
    const { rows } = await db.pool.query<{ id: string; url: string; title: string; summary: string }>(
      'SELECT id::text, url, title, summary FROM articles ORDER BY id',
    );
    return Object.fromEntries(rows.map((r) => [r.url, { id: r.id, title: r.title, summary: r.summary }]));
  }

  function expectPages(articles: Awaited<ReturnType<typeof stored>>, pages: Page[]) {
    expect(Object.keys(articles).sort()).toEqual(pages.map((p) => `https://shared.example/${p}`).sort());
    for (const page of pages) {
      expect(articles[`https://shared.example/${page}`]).toMatchObject({ title: PAGES[page][0], summary: PAGES[page][1] });
    }
  }

  it('stores one article per link, and a refetch in another order changes none', async () => {
    const first = await normalizeEntries(deps, job([entry('bridge'), entry('tram'), entry('library')]));
    expect(first).toMatchObject({ created: 3, changed: 0 });
    const before = await stored();
    expectPages(before, ['bridge', 'tram', 'library']);

    const reordered = await normalizeEntries(deps, job([entry('library'), entry('bridge'), entry('tram')]));
    expect(reordered).toMatchObject({ created: 0, changed: 0, unchanged: 3 });
    expect(await stored()).toEqual(before);
  });

  it('stores one article for the same guid and link listed twice', async () => {
    const result = await normalizeEntries(deps, job([entry('bridge'), entry('bridge', { title: 'Bridge (repeat)' })]));
    expect(result).toMatchObject({ created: 1 });
    expect(Object.values(await stored())).toEqual([expect.objectContaining({ title: PAGES.bridge[0] })]);
  });

  it('keeps the row of an article stored under the bare guid before its guid was shared', async () => {
    // What the feed held before (and what every fetch stored, when only the first entry of a guid was kept).
    await normalizeEntries(deps, job([entry('tram')]));
    const { id } = (await stored())['https://shared.example/tram'] ?? {};
    // The shared guid's first entry is now another page.
    const upgraded = await normalizeEntries(deps, job([entry('bridge'), entry('tram'), entry('library')]));
    expect(upgraded).toMatchObject({ created: 2, changed: 0, unchanged: 1 });
    const after = await stored();
    expectPages(after, ['bridge', 'tram', 'library']);
    expect(after['https://shared.example/tram']?.id).toBe(id);
    const { rows } = await db.pool.query('SELECT guid FROM articles WHERE id = $1', [id]);
    expect(rows).toEqual([{ guid: GUID }]);

    expect(await normalizeEntries(deps, job([entry('library'), entry('tram'), entry('bridge')]))).toMatchObject({ created: 0, changed: 0 });
    expect(await stored()).toEqual(after);
  });

  it('finds the article of a link again when its guid is no longer shared', async () => {
    // bridge came first under the bare guid, then tram shared it; then bridge left the feed.
    await normalizeEntries(deps, job([entry('bridge')]));
    await normalizeEntries(deps, job([entry('tram'), entry('bridge')]));
    const before = await stored();
    expect(await normalizeEntries(deps, job([entry('tram')]))).toMatchObject({ created: 0, changed: 0, unchanged: 1 });
    expect(await stored()).toEqual(before);
    // A lone entry whose link changed is still its guid's article.
    const moved = await normalizeEntries(deps, job([entry('bridge', { url: 'https://shared.example/bridge-reopens' })]));
    expect(moved).toMatchObject({ created: 0, changed: 1 });
    expect((await stored())['https://shared.example/bridge']).toEqual(before['https://shared.example/bridge']);
  });
});
