import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertTopic } from '@newsfold/db';
import { recomputeTopic } from '@newsfold/stories';
import { createMetrics } from '@newsfold/metrics';
import { ageChanges } from '@newsfold/testing';
import { startApi, type ApiServer } from './server.js';
import { ADMIN_TOKEN, addToStory, createHarness, minutesAgo, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';
import { rawGet as get } from './testdata/raw-get.js';

/**
 * Replayed answers, against the app answering the same requests: over real sockets, with a live
 * change listener on a real database, as `newsfold api` runs.
 */
describe('replaying answers below the framework', () => {
  let h: Harness;
  let api: ApiServer;
  let feedId: string;
  let outletId: string;
  let stormId: string;

  /** A request first answered by the app, then the same one again, which must be replayed. */
  const twice = async (path: string, headers: Record<string, string | string[]> = {}) => {
    // A topic edit's background recompute changes the data too, and so ends what was replayable.
    await h.deps.recomputer.idle();
    await h.deps.changes?.sync();
    const before = api.replayed();
    const first = await get(`${api.url}${path}`, headers);
    expect(api.replayed(), `${path}: the first answer is the app's`).toBe(before);
    const second = await get(`${api.url}${path}`, headers);
    expect(api.replayed(), `${path}: the second is replayed`).toBe(before + 1);
    return { first, second };
  };

  beforeAll(async () => {
    h = await createHarness();
    h.deps.metrics = createMetrics(h.connection, h.redis.prefix);
    const pool = h.db.pool;
    outletId = await seedOutlet(pool, 'Alpha Gazette');
    const other = await seedOutlet(pool, 'Beta Daily');
    feedId = await seedFeed(pool, 'https://alpha.example/world.xml', ['world']);
    const sport = await seedFeed(pool, 'https://beta.example/sport.xml', ['sport']);
    stormId = (
      await seedStory(pool, [
        { feedId, outletId, title: 'Storm Brennan hits the coast', publishedAt: minutesAgo(90) },
        { feedId: sport, outletId: other, title: 'Brennan storm batters coast', publishedAt: minutesAgo(80) },
      ])
    ).storyId;
    await seedStory(pool, [{ feedId, outletId, title: 'Election results announced', publishedAt: minutesAgo(60) }]);
    await upsertTopic(pool, { slug: 'world', title: 'World', tags: ['world'] });
    await recomputeTopic(pool, 'world');
    await ageChanges(pool);
    api = await startApi(h.deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await api?.close();
    await h?.deps.metrics?.close();
    await h?.close();
  });

  it('replays a feed and a story query, plain and gzip, with the same status, headers and bytes', async () => {
    for (const path of ['/topics/world/rss.xml', '/topics/all/feed.json?limit=20', '/api/v1/stories?topic=world']) {
      for (const headers of [{}, { 'accept-encoding': 'gzip, deflate, br' }] as Record<string, string>[]) {
        const { first, second } = await twice(path, headers);
        expect(first.status, path).toBe(200);
        expect(second, path).toEqual(first);
        expect(second.headers['content-length'], path).toBe(String(second.body.length));
        expect(second.headers['access-control-allow-origin'], path).toBe('*');
        expect(second.headers['x-content-type-options'], path).toBe('nosniff');
      }
    }
    // Each encoding is kept apart: a plain request after a gzip one is not sent gzip.
    const plain = await get(`${api.url}/topics/world/rss.xml`);
    const zipped = await get(`${api.url}/topics/world/rss.xml`, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
  });

  it('replays 304s with the headers the app sends, and decides them by the same rule', async () => {
    const path = '/topics/world/atom.xml';
    const { first: full } = await twice(path);
    const etag = String(full.headers.etag);
    const lastModified = String(full.headers['last-modified']);

    const byTag = await twice(path, { 'if-none-match': etag });
    expect(byTag.first.status).toBe(304);
    expect(byTag.second).toEqual(byTag.first);
    expect(byTag.second.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(byTag.second.body.length).toBe(0);
    expect(byTag.second.headers['x-content-type-options']).toBeUndefined();

    // A date-only validator, on a URL the app has not answered yet: the app's 304, then the replay's.
    const byDate = await twice(`${path}?limit=50`, { 'if-modified-since': lastModified });
    expect(byDate.first.status).toBe(304);
    expect(byDate.second).toEqual(byDate.first);
    // The replay's own decisions, each against what the app answered for that case.
    const cases: [Record<string, string>, number][] = [
      [{ 'if-none-match': `"other", ${etag.replace(/^W\//, '')}` }, 304],
      [{ 'if-none-match': '*' }, 304],
      [{ 'if-none-match': 'W/"other"' }, 200],
      [{ 'if-none-match': 'W/"other"', 'if-modified-since': lastModified }, 200],
      [{ 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() }, 200],
      [{ 'if-modified-since': 'yesterday' }, 200],
    ];
    for (const [headers, status] of cases) {
      const before = api.replayed();
      const res = await get(`${api.url}${path}`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(api.replayed(), JSON.stringify(headers)).toBe(before + 1);
      expect(res).toEqual(status === 304 ? byTag.first : full);
    }
    // Story queries have no Last-Modified: a date alone never makes their 304, replayed or not.
    const stories = await twice('/api/v1/stories?topic=world&limit=7', { 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() });
    expect(stories.second.status).toBe(200);
  });

  it('answers from the new data as soon as it changes, and again from replays after', async () => {
    const path = '/topics/world/feed.json';
    const { first } = await twice(path);
    await addToStory(h.db.pool, stormId, { feedId, outletId, title: 'Brennan: coast counts the cost', publishedAt: minutesAgo(1) });
    await h.deps.changes?.sync();
    const before = api.replayed();
    const changed = await get(`${api.url}${path}`);
    expect(api.replayed()).toBe(before);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.body.toString()).toContain('Brennan: coast counts the cost');
    expect((await get(`${api.url}${path}`)).body).toEqual(changed.body);
    expect(api.replayed()).toBe(before + 1);

    // The process's own write through the admin API: visible to its very next request.
    const edited = await fetch(`${api.url}/api/v1/topics/world`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'World news', tags: ['world'] }),
    });
    expect(edited.status).toBe(200);
    await h.deps.recomputer.idle();
    const renamed = await get(`${api.url}${path}`);
    expect(JSON.parse(renamed.body.toString())).toMatchObject({ title: expect.stringContaining('World news') });
    // The next tests count replays of data whose Last-Modified is final.
    await ageChanges(h.db.pool, h.deps.changes);
  });

  it('replays an answer with a stopgap Last-Modified (a change seconds ago) only until its final date is due', async () => {
    const path = '/topics/all/rss.xml?limit=3';
    await addToStory(h.db.pool, stormId, { feedId, outletId, title: 'Brennan: insurers count claims', publishedAt: minutesAgo(1) });
    // The change's instant, pinned mid-second and just past: one stamped on a whole millisecond
    // second would round the same both ways, and there must be time left to replay the stopgap.
    const now = Date.now();
    const changedAt = now % 1000 >= 500 ? now - (now % 1000) + 500 : now - (now % 1000) - 500;
    await h.db.pool.query('UPDATE stories SET revised_at = $1 WHERE revised_at > $1', [new Date(changedAt)]);
    await h.db.pool.query('UPDATE topics SET revised_at = $1 WHERE revised_at > $1', [new Date(changedAt)]);
    await h.deps.changes?.sync();
    const first = await get(`${api.url}${path}`);
    const stopgap = Date.parse(String(first.headers['last-modified']));
    expect(stopgap).toBe(changedAt - 500);
    // Replayed meanwhile, stopgap and all.
    expect(await get(`${api.url}${path}`)).toEqual(first);
    // Due 1 s (the rounding) + 2 s (the settling margin) after the second of the change.
    await new Promise((resolve) => setTimeout(resolve, stopgap + 3_050 - Date.now()));
    const before = api.replayed();
    const next = await get(`${api.url}${path}`);
    expect(api.replayed(), 'the app answers again').toBe(before);
    expect(Date.parse(String(next.headers['last-modified']))).toBe(stopgap + 1000);
    expect(await get(`${api.url}${path}`)).toEqual(next);
    expect(api.replayed()).toBe(before + 1);
  });

  it('leaves HEAD, other methods, errors and other routes to the app', async () => {
    await twice('/topics/world/rss.xml');
    const before = api.replayed();
    const head = await get(`${api.url}/topics/world/rss.xml`, {}, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const path of ['/topics/nope/rss.xml', '/topics/world/rss.xml?limit=0', '/api/v1/topics', '/healthz']) {
      await get(`${api.url}${path}`);
      await get(`${api.url}${path}`);
    }
    expect(api.replayed()).toBe(before);
  });

  it('leaves requests the app would see differently to the app: a malformed Host, repeated If-Modified-Since', async () => {
    const path = '/topics/world/atom.xml';
    const { first: full } = await twice(path);
    const lastModified = String(full.headers['last-modified']);
    expect((await twice(path, { 'if-modified-since': lastModified })).second.status).toBe(304);
    const before = api.replayed();
    // @hono/node-server refuses a Host that is not one.
    expect((await get(`${api.url}${path}`, { host: 'a b' })).status).toBe(400);
    // Two dates: the app sees them joined, no valid date, so the full feed (Node alone would keep the first).
    const repeated = await get(`${api.url}${path}`, { 'if-modified-since': [lastModified, lastModified] });
    expect(repeated.status).toBe(200);
    expect(api.replayed()).toBe(before);
    // And a Host the app accepted once is replayed for.
    const named = await twice(`${path}?limit=11`, { host: 'news.example.org' });
    expect(named.second.status).toBe(200);
  });

  it('counts replayed requests in the latency histogram under their route', async () => {
    const count = async () => {
      await h.deps.metrics?.flush();
      const text = await (await fetch(`${api.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('newsfold_http_request_duration_seconds_count{') && l.includes('route="/topics/:slug/rss.xml"') && l.includes('status="304"'));
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const etag = String((await get(`${api.url}/topics/all/rss.xml`)).headers.etag);
    await get(`${api.url}/topics/all/rss.xml`, { 'if-none-match': etag });
    const before = await count();
    const replayedBefore = api.replayed();
    for (let i = 0; i < 3; i++) expect((await get(`${api.url}/topics/all/rss.xml`, { 'if-none-match': etag })).status).toBe(304);
    expect(api.replayed()).toBe(replayedBefore + 3);
    expect(await count()).toBe(before + 3);
  });
});
