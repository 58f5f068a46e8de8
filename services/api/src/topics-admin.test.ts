import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTopic } from '@newsfold/db';
import type { JsonFeed } from '@newsfold/render';
import { createApp } from './app.js';
import { addToStory, ADMIN_TOKEN, createHarness, errorOf, minutesAgo, PUBLIC_URL, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';

describe('topic admin API and membership-backed topic feeds', () => {
  let h: Harness;
  let app: Hono;
  let feeds: { world: string; sport: string; tech: string };
  let outlets: { alpha: string; beta: string; gamma: string };
  const ids: Record<'talks' | 'football' | 'chips', string> = { talks: '', football: '', chips: '' };

  // Stories are written straight to the database here: wait for their change notifications, as
  // the harness's request() does, so that what the app holds in memory has caught up.
  const request = async (path: string, init?: RequestInit) => {
    await h.deps.changes?.sync();
    return app.request(path, init);
  };
  const call = (method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) =>
    request(path, {
      method,
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const put = async (slug: string, body: unknown) => {
    const res = await call('PUT', `/api/v1/topics/${slug}`, body);
    await h.deps.recomputer.idle();
    return res;
  };
  const feedIds = async (slug: string) => {
    const res = await request(`/topics/${slug}/feed.json`);
    expect(res.status, slug).toBe(200);
    return ((await res.json()) as JsonFeed).items.map((i) => i.id.replace('urn:newsfold:story:', ''));
  };
  const etagOf = async (slug: string) => (await request(`/topics/${slug}/feed.json`)).headers.get('etag') ?? '';
  const revalidate = async (slug: string, etag: string) => (await request(`/topics/${slug}/feed.json`, { headers: { 'if-none-match': etag } })).status;

  beforeAll(async () => {
    h = await createHarness();
    app = createApp(h.deps);
    const pool = h.db.pool;
    outlets = { alpha: await seedOutlet(pool, 'Alpha'), beta: await seedOutlet(pool, 'Beta'), gamma: await seedOutlet(pool, 'Gamma') };
    feeds = {
      world: await seedFeed(pool, 'https://alpha.example/world.xml', ['world']),
      sport: await seedFeed(pool, 'https://beta.example/sport.xml', ['sport']),
      tech: await seedFeed(pool, 'https://gamma.example/tech.xml', ['tech']),
    };
    ids.chips = (await seedStory(pool, [{ feedId: feeds.tech, outletId: outlets.gamma, title: 'Chip maker profits soar', publishedAt: minutesAgo(300) }])).storyId;
    ids.football = (await seedStory(pool, [{ feedId: feeds.sport, outletId: outlets.beta, title: 'Jeddah football final', publishedAt: minutesAgo(200) }])).storyId;
    ids.talks = (
      await seedStory(pool, [
        { feedId: feeds.world, outletId: outlets.alpha, title: 'US and Ukraine hold talks in Jeddah', publishedAt: minutesAgo(100) },
        { feedId: feeds.sport, outletId: outlets.beta, title: 'Talks in Saudi Arabia', publishedAt: minutesAgo(90) },
      ])
    ).storyId;
  });
  afterAll(async () => h?.close());

  it('refuses every topic write without a configured token (503), a token (401) or the right one (403)', async () => {
    const closed = createApp({ ...h.deps, config: { ...h.deps.config, adminToken: undefined } });
    for (const [method, body] of [['PUT', { title: 'X' }], ['DELETE', undefined]] as const) {
      const init = { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, ...(body ? { body: JSON.stringify(body) } : {}) };
      expect((await closed.request('/api/v1/topics/x', init)).status, method).toBe(503);
      const missing = await call(method, '/api/v1/topics/x', body, null);
      expect(missing.status, method).toBe(401);
      expect(missing.headers.get('www-authenticate'), method).toMatch(/^Bearer/);
      expect((await errorOf(await call(method, '/api/v1/topics/x', body, 'wrong-token'))).error.code, method).toBe('forbidden');
    }
    expect(await getTopic(h.db.pool, 'x')).toBeNull();
    // Reading topics stays public.
    expect((await request('/api/v1/topics')).status).toBe(200);
  });

  it('creates a topic (201, the GET shape), recomputes it in the background, and serves it from membership', async () => {
    const res = await put('talks', { title: 'Talks', description: 'Diplomacy', query: 'ukraine OR jeddah -football' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/v1/topics/talks');
    const created = await res.json();
    const listed = ((await (await request('/api/v1/topics')).json()) as { topics: unknown[] }).topics;
    expect(listed).toContainEqual(created);
    // Its Location is a public read of the topic.
    const located = await request('/api/v1/topics/talks');
    expect(located.status).toBe(200);
    expect(located.headers.get('access-control-allow-origin')).toBe('*');
    expect(await located.json()).toEqual(created);
    expect((await request('/api/v1/topics/nope')).status).toBe(404);
    expect(created).toEqual({
      slug: 'talks',
      title: 'Talks',
      description: 'Diplomacy',
      query: 'ukraine OR jeddah -football',
      tags: [],
      minSources: 1,
      feeds: { rss: `${PUBLIC_URL}/topics/talks/rss.xml`, atom: `${PUBLIC_URL}/topics/talks/atom.xml`, json: `${PUBLIC_URL}/topics/talks/feed.json` },
    });
    expect((await getTopic(h.db.pool, 'talks'))?.membershipReady).toBe(true);
    expect(await feedIds('talks')).toEqual([ids.talks]);

    // Reads go through topic_stories: a row removed behind its back disappears from the feed and the API.
    await h.db.pool.query('DELETE FROM topic_stories WHERE topic = $1', ['talks']);
    await h.db.pool.query(`UPDATE topics SET revised_at = clock_timestamp() WHERE slug = 'talks'`);
    expect(await feedIds('talks')).toEqual([]);
    expect(((await (await request('/api/v1/stories?topic=talks')).json()) as { stories: unknown[] }).stories).toEqual([]);
    // Putting the same definition again is a 200 that changes nothing; a changed one recomputes.
    const same = await put('talks', { title: 'Talks', description: 'Diplomacy', query: 'ukraine OR jeddah -football' });
    expect(same.status).toBe(200);
    expect(await feedIds('talks')).toEqual([]);
    expect((await put('talks', { title: 'Talks', query: 'ukraine OR jeddah' })).status).toBe(200);
    expect(await feedIds('talks')).toEqual([ids.talks, ids.football]);
    const stories = (await (await request('/api/v1/stories?topic=talks&q=football')).json()) as { stories: { id: string }[] };
    expect(stories.stories.map((s) => s.id)).toEqual([ids.football]);
  });

  it('keeps a topic ETag while unrelated stories change, and changes it when its own stories do', async () => {
    expect((await put('world', { title: 'World', tags: ['world'] })).status).toBe(201);
    expect((await put('tech', { title: 'Tech', tags: ['TECH'] })).status).toBe(201);
    expect(await feedIds('world')).toEqual([ids.talks]);
    expect(await feedIds('tech')).toEqual([ids.chips]);
    const [world, tech, all] = [await etagOf('world'), await etagOf('tech'), await etagOf('all')];
    expect(await revalidate('world', world)).toBe(304);

    // A new outlet joins the world story: world changes, tech does not; all does.
    await addToStory(h.db.pool, ids.talks, { feedId: feeds.sport, outletId: outlets.gamma, title: 'Gamma on the talks', publishedAt: new Date() });
    expect(await revalidate('world', world)).toBe(200);
    expect(await revalidate('tech', tech)).toBe(304);
    expect(await revalidate('all', all)).toBe(200);
    // A brand-new story outside the topic leaves it alone too.
    const tech2 = await etagOf('tech');
    await seedStory(h.db.pool, [{ feedId: feeds.sport, outletId: outlets.beta, title: 'Cup semi-final', publishedAt: new Date() }]);
    expect(await revalidate('tech', tech2)).toBe(304);
    // A story joining the topic changes it.
    await addToStory(h.db.pool, ids.football, { feedId: feeds.tech, outletId: outlets.gamma, title: 'Stadium tech', publishedAt: minutesAgo(150) });
    expect(await revalidate('tech', tech2)).toBe(200);
    expect(await feedIds('tech')).toEqual([ids.football, ids.chips]);
    // The topic's own definition changing changes it.
    const tech3 = await etagOf('tech');
    await put('tech', { title: 'Technology', tags: ['tech'] });
    expect(await revalidate('tech', tech3)).toBe(200);
  });

  it('validates a topic: 400 for a bad slug or malformed JSON, 422 for a bad body or query, 409 for all', async () => {
    const cases: [string, unknown, number, string][] = [
      ['Bad_Slug', { title: 'x' }, 400, 'invalid_slug'],
      ['-dash', { title: 'x' }, 400, 'invalid_slug'],
      ['ok', '{"title": ', 400, 'invalid_json'],
      ['ok', {}, 422, 'invalid_body'],
      ['ok', { title: '   ' }, 422, 'invalid_body'],
      ['ok', { title: 'x', query: 'q'.repeat(501) }, 422, 'invalid_body'],
      ['ok', { title: 'x', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 422, 'invalid_body'],
      ['ok', { title: 'x', tags: [''] }, 422, 'invalid_body'],
      ['ok', { title: 'x', minSources: 0 }, 422, 'invalid_body'],
      ['ok', { title: 'x', minSources: '2' }, 422, 'invalid_body'],
      ['ok', { title: 'bad\u0000title' }, 422, 'invalid_body'],
      ['ok', { title: 'x', query: '!!! & | :*' }, 422, 'invalid_query'],
      ['all', { title: 'Everything' }, 409, 'topic_built_in'],
    ];
    for (const [slug, body, status, code] of cases) {
      const res = await call('PUT', `/api/v1/topics/${slug}`, body);
      const label = `${slug} ${JSON.stringify(body).slice(0, 60)}`;
      expect(res.status, label).toBe(status);
      expect((await errorOf(res)).error.code, label).toBe(code);
    }
    expect(await getTopic(h.db.pool, 'ok')).toBeNull();
    // A quoted phrase with an exclusion is a fine query; 50 tags and a 500-character query are allowed.
    const ok = await put('ok', { title: 'Ok', query: `"saudi arabia" -football ${'q'.repeat(470)}`, tags: Array.from({ length: 50 }, (_, i) => `t${i}`) });
    expect(ok.status).toBe(201);
  });

  it('deletes a topic (204), 404 for an unknown one, 409 for all', async () => {
    await put('gone', { title: 'Gone', tags: ['world'] });
    expect(await feedIds('gone')).toEqual([ids.talks]);
    expect((await call('DELETE', '/api/v1/topics/gone')).status).toBe(204);
    expect((await request('/topics/gone/feed.json')).status).toBe(404);
    const { rows } = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM topic_stories WHERE topic = 'gone'`);
    expect(rows[0]?.n).toBe(0);
    const again = await call('DELETE', '/api/v1/topics/gone');
    expect(again.status).toBe(404);
    expect((await errorOf(again)).error.code).toBe('topic_not_found');
    expect((await call('DELETE', '/api/v1/topics/NOT_A_SLUG')).status).toBe(404);
    const all = await call('DELETE', '/api/v1/topics/all');
    expect(all.status).toBe(409);
    expect((await errorOf(all)).error.code).toBe('topic_built_in');
    expect(await getTopic(h.db.pool, 'all')).not.toBeNull();
  });
});
