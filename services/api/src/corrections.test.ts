import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertFeed, type FeedRow } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { placePending } from '@newsfold/stories';
import { resetClustering } from '@newsfold/testing';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
// The real normalizer path builds the stories these corrections act on, so the test proves that
// later clustering respects them. (Imported by path: @newsfold/api does not list
// @newsfold/normalizer as a devDependency.)
import { normalizeEntries, type NormalizeDeps } from '@newsfold/normalizer';
import { ADMIN_TOKEN, PUBLIC_URL, createHarness, errorOf, minutesAgo, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';

/** Admin story corrections: POST /api/v1/stories/{id}/split and POST /api/v1/stories/merge. */

interface SourceJson {
  outlet: string;
  title: string;
  articleId: string;
  match: { score: number | null; reason: string | null };
}
interface StoryJson {
  id: string;
  title: string;
  firstSeenAt: string;
  updatedAt: string;
  sourceCount: number;
  sources: SourceJson[];
}
interface SplitJson {
  original: StoryJson;
  created: StoryJson;
}
interface MergeJson {
  story: StoryJson;
  merged: string[];
}

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-26T08:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

const STORM = 'Storm Brennan batters the Cornish coast';
const HARBOUR = 'Waves flooded the harbour at Mevagissey overnight and lifeboat crews rescued fishermen from the quay.';
const FOOTBALL = 'The Rovers against Argyle derby at Home Park was postponed after the stadium roof was damaged by gales.';

function wire(guid: string, title: string, summary: string, publishedAt: string): WireEntry {
  return {
    guid,
    url: `https://news.example/${guid}`,
    title,
    summary,
    contentHtml: null,
    author: null,
    publishedAt,
    categories: [],
    imageUrl: null,
  };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

describe('story corrections API', () => {
  let h: Harness;
  let normalizer: NormalizeDeps;
  const feeds = new Map<string, FeedRow>();

  beforeAll(async () => {
    h = await createHarness();
    normalizer = { pool: h.db.pool, log: createLogger({ level: 'silent' }) };
  });
  afterAll(async () => h?.close());
  beforeEach(async () => {
    feeds.clear();
    await resetClustering(h.db.pool);
  });

  /** One outlet's feed delivering entries through the real normalizer. */
  async function publish(site: string, entries: WireEntry[]) {
    let feed = feeds.get(site);
    if (!feed) {
      feed = (await insertFeed(h.db.pool, { url: `https://${site}/feed.xml` })).feed;
      feeds.set(site, feed);
    }
    const data: FetchedEntries = {
      feedId: feed.id,
      feedUrl: feed.url,
      // Fetched as soon as the newest entry was published.
      fetchedAt: new Date(Math.max(T0, ...entries.map((e) => (e.publishedAt ? Date.parse(e.publishedAt) : T0)))).toISOString(),
      feed: { title: `${site} news`, siteUrl: `https://${site}/`, language: 'en' },
      entries,
    };
    const result = await normalizeEntries(normalizer, data);
    await placePending(h.db.pool, { windowMs: 72 * HOUR });
    return result;
  }

  async function storyIdOf(guid: string): Promise<string> {
    const { rows } = await h.db.pool.query<{ id: string | null }>('SELECT story_id::text AS id FROM articles WHERE guid = $1', [guid]);
    const id = rows[0]?.id;
    if (!id) throw new Error(`article ${guid} has no story`);
    return id;
  }
  async function articleIdOf(guid: string): Promise<string> {
    const { rows } = await h.db.pool.query<{ id: string }>('SELECT id::text FROM articles WHERE guid = $1', [guid]);
    const id = rows[0]?.id;
    if (!id) throw new Error(`no article ${guid}`);
    return id;
  }
  async function storyCount(): Promise<number> {
    const { rows } = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stories');
    return rows[0]?.n ?? 0;
  }
  async function story(id: string): Promise<StoryJson> {
    const res = await h.request(`/api/v1/stories/${id}`);
    expect(res.status, `GET story ${id}`).toBe(200);
    return (await res.json()) as StoryJson;
  }
  const titles = (s: StoryJson) => s.sources.map((x) => x.title).sort();

  /**
   * One story, folded by the normalizer (same headline), that mixes two things: harbour flooding
   * (alpha, beta) and a postponed football match (gamma, delta). The admin splits the football out.
   */
  async function mixedStory() {
    const before = await storyCount();
    await publish('alpha.example', [wire('harbour-1', STORM, HARBOUR, at(0))]);
    await publish('gamma.example', [wire('football-1', STORM.toUpperCase(), FOOTBALL, at(1))]);
    await publish('beta.example', [wire('harbour-2', `${STORM}!`, `${HARBOUR} Roads into the town were closed.`, at(2))]);
    await publish('delta.example', [wire('football-2', `“${STORM}”`, `${FOOTBALL} Fans were told to keep their tickets.`, at(3))]);
    const storyId = await storyIdOf('harbour-1');
    for (const guid of ['football-1', 'harbour-2', 'football-2']) expect(await storyIdOf(guid), guid).toBe(storyId);
    expect(await storyCount()).toBe(before + 1);
    return { storyId, football: [await articleIdOf('football-1'), await articleIdOf('football-2')] };
  }

  describe('admin auth', () => {
    it('answers 401 without a token and 403 with a wrong one, changing nothing', async () => {
      const { storyId, football } = await mixedStory();
      const calls: [string, unknown][] = [
        [`/api/v1/stories/${storyId}/split`, { articleIds: football }],
        ['/api/v1/stories/merge', { storyIds: [storyId, '999'] }],
      ];
      for (const [path, body] of calls) {
        const anonymous = await h.request(path, { ...json(body), headers: { 'content-type': 'application/json' } });
        expect(anonymous.status, path).toBe(401);
        expect(anonymous.headers.get('www-authenticate'), path).toMatch(/^Bearer/);
        expect((await errorOf(anonymous)).error.code).toBe('unauthorized');

        const wrong = await h.request(path, {
          ...json(body),
          headers: { authorization: `Bearer ${ADMIN_TOKEN}x`, 'content-type': 'application/json' },
        });
        expect(wrong.status, path).toBe(403);
        expect((await errorOf(wrong)).error.code).toBe('forbidden');
      }
      expect(await storyCount()).toBe(1);
      expect((await story(storyId)).sources).toHaveLength(4);
    });

    it('answers 503 when no admin token is configured', async () => {
      const closed = await createHarness({ adminToken: null });
      try {
        for (const path of ['/api/v1/stories/1/split', '/api/v1/stories/merge']) {
          const res = await closed.request(path, {
            ...json({ articleIds: ['1'], storyIds: ['1', '2'] }),
            headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          });
          expect(res.status, path).toBe(503);
          expect((await errorOf(res)).error.code).toBe('admin_disabled');
        }
      } finally {
        await closed.close();
      }
    });
  });

  describe('split', () => {
    it('moves the articles into a new story and recomputes both stories', async () => {
      const { storyId, football } = await mixedStory();
      const res = await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: football }));
      expect(res.status).toBe(201);
      const body = (await res.json()) as SplitJson;
      expect(res.headers.get('location')).toBe(`/api/v1/stories/${body.created.id}`);
      expect(body.original.id).toBe(storyId);
      expect(BigInt(body.created.id) > BigInt(storyId)).toBe(true);

      // The original keeps its lead; the new story is led by the earliest article moved.
      expect(body.original).toMatchObject({ title: STORM, sourceCount: 2, firstSeenAt: at(0), updatedAt: at(2) });
      expect(titles(body.original)).toEqual([STORM, `${STORM}!`].sort());
      expect(body.created).toMatchObject({ title: STORM.toUpperCase(), sourceCount: 2, firstSeenAt: at(1), updatedAt: at(3) });
      expect(body.created.sources.map((s) => s.articleId).sort()).toEqual([...football].sort());
      for (const s of body.created.sources) expect(s.match).toEqual({ score: 1, reason: 'manual-split' });
      for (const s of body.original.sources) expect(s.match.reason).not.toBe('manual-split');

      // The response is what GET answers.
      expect(await story(storyId)).toEqual(body.original);
      expect(await story(body.created.id)).toEqual(body.created);
      expect(await storyCount()).toBe(2);
    });

    it('rebuilds centroids and the term index: a later football article joins the split-off story', async () => {
      const { storyId, football } = await mixedStory();
      const { created } = (await (await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: football }))).json()) as SplitJson;

      const { rows } = await h.db.pool.query<{ id: string; centroid: Record<string, number>; terms: string[] }>(
        `SELECT s.id::text, s.centroid, array(SELECT term FROM story_terms t WHERE t.story_id = s.id ORDER BY term) AS terms
         FROM stories s ORDER BY s.id`,
      );
      const [original, split] = rows;
      expect(original?.terms).toContain('harbour');
      expect(original?.terms).not.toContain('argyle');
      expect(Object.keys(original?.centroid ?? {})).not.toContain('argyle');
      expect(split?.terms).toContain('argyle');
      expect(split?.terms).not.toContain('harbour');
      expect(Object.keys(split?.centroid ?? {})).toEqual(expect.arrayContaining(['argyle', 'rover', 'storm']));

      await publish('epsilon.example', [wire('football-3', 'Storm Brennan: Rovers v Argyle derby at Home Park postponed', FOOTBALL, at(4))]);
      expect(await storyIdOf('football-3')).toBe(created.id);
      await publish('zeta.example', [wire('harbour-3', 'Storm Brennan floods Mevagissey harbour', HARBOUR, at(4))]);
      expect(await storyIdOf('harbour-3')).toBe(storyId);
      expect(await storyCount()).toBe(2);
    });

    it('is respected by later clustering: an article matching both halves joins one and never re-merges them', async () => {
      const { storyId, football } = await mixedStory();
      const { created } = (await (await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: football }))).json()) as SplitJson;

      // The same headline as every article of both halves: a same-title match with each.
      await publish('epsilon.example', [wire('both-1', STORM, `${HARBOUR} ${FOOTBALL}`, at(5))]);
      expect(await storyCount()).toBe(2);
      expect([storyId, created.id]).toContain(await storyIdOf('both-1'));
      const original = await story(storyId);
      const split = await story(created.id);
      expect(original.sources.length + split.sources.length).toBe(5);
      expect(split.sources.map((s) => s.articleId)).toEqual(expect.arrayContaining(football));
      expect(original.sources.map((s) => s.articleId)).not.toEqual(expect.arrayContaining([football[0]]));

      // Control: without the separation the very same kind of article folds the halves together,
      // so it is the separation (not a weak match) that kept them apart above.
      await h.db.pool.query('DELETE FROM story_separations');
      await publish('zeta.example', [wire('both-2', STORM, `${HARBOUR} ${FOOTBALL}`, at(6))]);
      expect(await storyCount()).toBe(1);
    });

    it('passes the original story’s separations on to the new story', async () => {
      const { storyId, football } = await mixedStory();
      const first = (await (await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: [football[0]] }))).json()) as SplitJson;
      const harbour2 = await articleIdOf('harbour-2');
      const second = (await (await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: [harbour2] }))).json()) as SplitJson;
      const { rows } = await h.db.pool.query<{ a: string; b: string }>(
        'SELECT story_a::text AS a, story_b::text AS b FROM story_separations ORDER BY story_a, story_b',
      );
      expect(rows).toEqual([
        { a: storyId, b: first.created.id },
        { a: storyId, b: second.created.id },
        { a: first.created.id, b: second.created.id },
      ]);
    });
  });

  describe('merge', () => {
    async function twoStories() {
      await publish('alpha.example', [wire('housing-1', 'Parliament passes the new housing bill', 'MPs voted 320 to 210 for the housing bill.', at(0))]);
      await publish('beta.example', [
        wire('rent-1', 'Lawmakers approve sweeping reform of rental homes', 'Tenants gain protection from no-fault evictions under the reform.', at(1)),
      ]);
      const a = await storyIdOf('housing-1');
      const b = await storyIdOf('rent-1');
      expect(a).not.toBe(b);
      return { a, b };
    }

    it('folds the stories into the oldest one, which later similar articles join', async () => {
      const { a, b } = await twoStories();
      const res = await h.admin('/api/v1/stories/merge', json({ storyIds: [b, a] }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as MergeJson;
      const survivor = BigInt(a) < BigInt(b) ? a : b;
      const absorbed = survivor === a ? b : a;
      expect(body.merged).toEqual([absorbed]);
      expect(body.story).toMatchObject({ id: survivor, title: 'Parliament passes the new housing bill', sourceCount: 2 });
      expect(body.story.firstSeenAt).toBe(at(0));
      expect(body.story.updatedAt).toBe(at(1));
      const rent = body.story.sources.find((s) => s.title.startsWith('Lawmakers'));
      expect(rent?.match).toEqual({ score: 1, reason: 'manual-merge' });
      const housing = body.story.sources.find((s) => s.title.startsWith('Parliament'));
      expect(housing?.match.reason).toBe('new-story');
      expect(await story(survivor)).toEqual(body.story);

      // The absorbed story's id leads to the survivor, in the API and as a page (feed entries link there).
      const moved = await h.request(`/api/v1/stories/${absorbed}`);
      expect(moved.status).toBe(301);
      expect(moved.headers.get('location')).toBe(`${PUBLIC_URL}/api/v1/stories/${survivor}`);
      const page = await h.request(`/stories/${absorbed}`);
      expect(page.status).toBe(301);
      expect(page.headers.get('location')).toBe(`${PUBLIC_URL}/stories/${survivor}`);
      expect(await storyCount()).toBe(1);

      // An article like the absorbed story's finds the survivor through the moved term index.
      await publish('gamma.example', [
        wire('rent-2', 'Lawmakers approve reform of rental homes', 'Tenants gain protection from no-fault evictions.', at(2)),
      ]);
      expect(await storyIdOf('rent-2')).toBe(survivor);
      expect(await storyCount()).toBe(1);
      expect((await story(survivor)).sourceCount).toBe(3);
    });

    it('keeps a split apart after one half is merged into an older story', async () => {
      const { a: older } = await twoStories();
      const { storyId, football } = await mixedStory();
      const { created } = (await (await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: football }))).json()) as SplitJson;
      const res = await h.admin('/api/v1/stories/merge', json({ storyIds: [created.id, older] }));
      expect(res.status).toBe(200);
      expect(((await res.json()) as MergeJson).story.id).toBe(older);
      const { rows } = await h.db.pool.query<{ a: string; b: string }>('SELECT story_a::text AS a, story_b::text AS b FROM story_separations');
      expect(rows).toEqual([{ a: older, b: storyId }]);

      // Matches the harbour half and the football articles (now in `older`) by headline alike.
      await publish('epsilon.example', [wire('both-1', STORM, `${HARBOUR} ${FOOTBALL}`, at(5))]);
      expect([older, storyId]).toContain(await storyIdOf('both-1'));
      expect(await storyIdOf('harbour-1')).toBe(storyId);
      expect(await storyIdOf('football-1')).toBe(older);
    });

    it('undoes a split: merging the halves drops their separation', async () => {
      const { storyId, football } = await mixedStory();
      const { created } = (await (await h.admin(`/api/v1/stories/${storyId}/split`, json({ articleIds: football }))).json()) as SplitJson;
      const res = await h.admin('/api/v1/stories/merge', json({ storyIds: [created.id, storyId] }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as MergeJson;
      expect(body.story).toMatchObject({ id: storyId, title: STORM, sourceCount: 4 });
      const { rows } = await h.db.pool.query('SELECT * FROM story_separations');
      expect(rows).toEqual([]);
    });
  });

  describe('validation', () => {
    let a: { storyId: string; articleIds: string[] };
    let b: { storyId: string; articleIds: string[] };

    beforeEach(async () => {
      const pool = h.db.pool;
      const feed = await seedFeed(pool, 'https://alpha.example/feed.xml');
      const alpha = await seedOutlet(pool, 'Alpha');
      const beta = await seedOutlet(pool, 'Beta');
      a = await seedStory(pool, [
        { feedId: feed, outletId: alpha, title: 'First story lead', publishedAt: minutesAgo(30) },
        { feedId: feed, outletId: beta, title: 'First story follow-up', publishedAt: minutesAgo(20) },
      ]);
      b = await seedStory(pool, [{ feedId: feed, outletId: alpha, title: 'Second story', publishedAt: minutesAgo(10) }]);
    });

    async function expectError(res: Response, status: number, code: string) {
      expect(res.status).toBe(status);
      expect((await errorOf(res)).error.code).toBe(code);
    }

    async function unchanged() {
      expect(await storyCount()).toBe(2);
      expect((await story(a.storyId)).sources).toHaveLength(2);
      expect((await story(b.storyId)).sources).toHaveLength(1);
      const { rows } = await h.db.pool.query('SELECT * FROM story_separations');
      expect(rows).toEqual([]);
    }

    it('answers 404 for an unknown story', async () => {
      await expectError(await h.admin('/api/v1/stories/999999/split', json({ articleIds: a.articleIds })), 404, 'story_not_found');
      await expectError(await h.admin('/api/v1/stories/latest/split', json({ articleIds: a.articleIds })), 404, 'story_not_found');
      await expectError(await h.admin('/api/v1/stories/merge', json({ storyIds: [a.storyId, '999999'] })), 404, 'story_not_found');
      await unchanged();
    });

    it('answers 422 for articles that are not in the story', async () => {
      for (const articleIds of [[b.articleIds[0]], [a.articleIds[0], '999999']]) {
        const res = await h.admin(`/api/v1/stories/${a.storyId}/split`, json({ articleIds }));
        await expectError(res, 422, 'article_not_in_story');
      }
      await unchanged();
    });

    it('answers 422 for a split that would leave the story empty', async () => {
      await expectError(await h.admin(`/api/v1/stories/${a.storyId}/split`, json({ articleIds: a.articleIds })), 422, 'nothing_left');
      await expectError(await h.admin(`/api/v1/stories/${b.storyId}/split`, json({ articleIds: b.articleIds })), 422, 'nothing_left');
      await unchanged();
    });

    it('answers 422 for a merge of fewer than two stories', async () => {
      await expectError(await h.admin('/api/v1/stories/merge', json({ storyIds: [a.storyId] })), 422, 'invalid_body');
      await expectError(await h.admin('/api/v1/stories/merge', json({ storyIds: [a.storyId, a.storyId] })), 422, 'too_few_stories');
      await unchanged();
    });

    it('answers 422 for a body of the wrong shape', async () => {
      const split = `/api/v1/stories/${a.storyId}/split`;
      for (const body of [{}, { articleIds: [] }, { articleIds: ['x'] }, { articleIds: [1] }, { articleIds: Array(1001).fill('1') }]) {
        await expectError(await h.admin(split, json(body)), 422, 'invalid_body');
      }
      for (const body of [{}, { storyIds: 'a,b' }, { storyIds: ['1', 'two'] }, { storyIds: Array(101).fill('1') }]) {
        await expectError(await h.admin('/api/v1/stories/merge', json(body)), 422, 'invalid_body');
      }
      await unchanged();
    });

    it('answers 400 for malformed JSON', async () => {
      for (const path of [`/api/v1/stories/${a.storyId}/split`, '/api/v1/stories/merge']) {
        await expectError(await h.admin(path, { method: 'POST', body: '{"articleIds": [' }), 400, 'invalid_json');
      }
      await unchanged();
    });

    it('sends no CORS headers on corrections, even to a preflight, while story reads stay open', async () => {
      const origin = 'https://evil.example';
      const split = await h.admin(`/api/v1/stories/${a.storyId}/split`, { ...json({ articleIds: [a.articleIds[1]] }), headers: { origin } });
      expect(split.status).toBe(201);
      expect(split.headers.get('access-control-allow-origin')).toBeNull();
      const merge = await h.admin('/api/v1/stories/merge', { ...json({ storyIds: [a.storyId, b.storyId] }), headers: { origin } });
      expect(merge.status).toBe(200);
      expect(merge.headers.get('access-control-allow-origin')).toBeNull();
      for (const path of [`/api/v1/stories/${a.storyId}/split`, '/api/v1/stories/merge']) {
        const preflight = await h.request(path, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        });
        expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
        expect(preflight.headers.get('access-control-allow-methods'), path).toBeNull();
      }
      const read = await h.request(`/api/v1/stories/${a.storyId}`, { headers: { origin } });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBe('*');
    });
  });
});
