import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertTopic } from '@newsfold/db';
import { ageChanges } from '@newsfold/testing';
import type { JsonFeed } from '@newsfold/render';
import { assertWellFormedXml } from '@newsfold/render/testdata';
import { addToStory, createHarness, minutesAgo, PUBLIC_URL, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';
import { startApi } from './server.js';

/**
 * Topic feeds over a small fixed world:
 *   storm    "Storm Brennan hits the coast"      3 outlets (world, sport, tech feeds)   newest
 *   football "Storm delays football final"       1 outlet  (sport)
 *   election "Election results announced"        1 outlet  (world)
 *   chips    "Chip maker profits soar"           1 outlet  (tech)                        oldest
 */
describe('topic feeds', () => {
  let h: Harness;
  const ids: Record<'storm' | 'football' | 'election' | 'chips', string> = { storm: '', football: '', election: '', chips: '' };
  let outlets: { alpha: string; beta: string; gamma: string; delta: string };
  let feeds: { world: string; sport: string; tech: string };

  const items = async (path: string, init?: RequestInit) => {
    const res = await h.request(path, init);
    expect(res.status, path).toBe(200);
    return ((await res.json()) as JsonFeed).items;
  };
  const storyIdsOf = (list: JsonFeed['items']) => list.map((i) => i.id.replace('urn:newsfold:story:', ''));

  beforeAll(async () => {
    h = await createHarness();
    const pool = h.db.pool;
    outlets = {
      alpha: await seedOutlet(pool, 'Alpha Gazette'),
      beta: await seedOutlet(pool, 'Beta Daily'),
      gamma: await seedOutlet(pool, 'Gamma News'),
      delta: await seedOutlet(pool, 'Delta Post'),
    };
    feeds = {
      world: await seedFeed(pool, 'https://alpha.example/world.xml', ['world']),
      sport: await seedFeed(pool, 'https://beta.example/sport.xml', ['sport']),
      tech: await seedFeed(pool, 'https://gamma.example/tech.xml', ['tech']),
    };
    const now = Date.now();
    ids.chips = (await seedStory(pool, [{ feedId: feeds.tech, outletId: outlets.gamma, title: 'Chip maker profits soar', publishedAt: minutesAgo(300, now) }])).storyId;
    ids.election = (await seedStory(pool, [{ feedId: feeds.world, outletId: outlets.alpha, title: 'Election results announced', publishedAt: minutesAgo(240, now) }])).storyId;
    ids.football = (await seedStory(pool, [{ feedId: feeds.sport, outletId: outlets.beta, title: 'Storm delays football final', publishedAt: minutesAgo(180, now) }])).storyId;
    ids.storm = (
      await seedStory(pool, [
        { feedId: feeds.world, outletId: outlets.alpha, title: 'Storm Brennan hits the coast', summary: 'Winds of <b>100</b> mph & more', publishedAt: minutesAgo(150, now) },
        { feedId: feeds.sport, outletId: outlets.beta, title: 'Brennan storm batters coast', publishedAt: minutesAgo(140, now) },
        { feedId: feeds.tech, outletId: outlets.gamma, title: 'Storm knocks out power grid', publishedAt: minutesAgo(120, now) },
      ])
    ).storyId;
    await upsertTopic(pool, { slug: 'world', title: 'World', tags: ['world'] });
    await upsertTopic(pool, { slug: 'storms', title: 'Storms', query: '"storm" -football' });
    await upsertTopic(pool, { slug: 'big', title: 'Big stories', minSources: 3 });
    // Topics edited long ago: Last-Modified then follows story activity, not the seeding moment.
    await pool.query("UPDATE topics SET updated_at = now() - interval '1 day'");
    // And the seeding a minute back: a Last-Modified names a second already past (lastModifiedFor).
    await ageChanges(pool);
  });
  afterAll(async () => h?.close());

  it('serves every story in all, newest activity first, in the three formats', async () => {
    expect(storyIdsOf(await items('/topics/all/feed.json'))).toEqual([ids.storm, ids.football, ids.election, ids.chips]);
    const [storm] = await items('/topics/all/feed.json');
    expect(storm?.title).toBe('Storm Brennan hits the coast');
    expect(storm?.authors?.map((a) => a.name)).toEqual(['Alpha Gazette', 'Beta Daily', 'Gamma News']);
    for (const [file, type, marker] of [
      ['rss.xml', 'application/rss+xml', '<rss'],
      ['atom.xml', 'application/atom+xml', '<feed'],
      ['feed.json', 'application/feed+json', '"version": "https://jsonfeed.org/version/1.1"'],
    ] as const) {
      const res = await h.request(`/topics/all/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toBe(`${type}; charset=utf-8`);
      const text = await res.text();
      expect(text, file).toContain(marker);
      expect(text, file).toContain(`urn:newsfold:story:${ids.storm}`);
      expect(text, file).toContain(`${PUBLIC_URL}/topics/all/`);
      // Markup in a summary never reaches the output as markup.
      expect(text, file).not.toContain('<b>100</b>');
    }
  });

  it('answers 404 JSON to an unknown slug', async () => {
    const res = await h.request('/topics/nope/atom.xml');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'topic_not_found', message: expect.stringContaining('nope') } });
  });

  it('respects limit and min_sources (query parameter over the topic default)', async () => {
    expect(storyIdsOf(await items('/topics/all/feed.json?limit=2'))).toEqual([ids.storm, ids.football]);
    expect(storyIdsOf(await items('/topics/all/feed.json?limit=1'))).toEqual([ids.storm]);
    expect(storyIdsOf(await items('/topics/all/feed.json?min_sources=3'))).toEqual([ids.storm]);
    expect(storyIdsOf(await items('/topics/all/feed.json?min_sources=4'))).toEqual([]);
    expect(storyIdsOf(await items('/topics/all/feed.json?min_sources=2&limit=200'))).toEqual([ids.storm]);
    // The topic's own minimum, and a request overriding it.
    expect(storyIdsOf(await items('/topics/big/feed.json'))).toEqual([ids.storm]);
    expect(storyIdsOf(await items('/topics/big/feed.json?min_sources=1'))).toHaveLength(4);
  });

  it('names the feed by the URL it was asked with, in canonical form, in its self links', async () => {
    const selfOf = async (path: string) => ((await (await h.request(path)).json()) as { feed_url: string }).feed_url;
    expect(await selfOf('/topics/all/feed.json')).toBe(`${PUBLIC_URL}/topics/all/feed.json`);
    expect(await selfOf('/topics/all/feed.json?min_sources=3&limit=20')).toBe(`${PUBLIC_URL}/topics/all/feed.json?limit=20&min_sources=3`);
    // Parameters that ask for what the plain URL answers are left out.
    expect(await selfOf('/topics/big/feed.json?limit=50&min_sources=3')).toBe(`${PUBLIC_URL}/topics/big/feed.json`);
    expect(await selfOf('/topics/big/feed.json?min_sources=1')).toBe(`${PUBLIC_URL}/topics/big/feed.json?min_sources=1`);
    const rss = await (await h.request('/topics/all/rss.xml?min_sources=2')).text();
    expect(rss).toContain(`<atom:link href="${PUBLIC_URL}/topics/all/rss.xml?min_sources=2" rel="self"`);
    const atom = await (await h.request('/topics/all/atom.xml?limit=5&min_sources=2')).text();
    assertWellFormedXml(atom);
    expect(atom).toContain(`<link rel="self" href="${PUBLIC_URL}/topics/all/atom.xml?limit=5&amp;min_sources=2"/>`);
  });

  it('limits a tagged topic to stories with a source from a feed carrying the tag', async () => {
    expect(storyIdsOf(await items('/topics/world/feed.json'))).toEqual([ids.storm, ids.election]);
  });

  it('filters a topic with a query by title, honouring exclusions', async () => {
    expect(storyIdsOf(await items('/topics/storms/feed.json'))).toEqual([ids.storm]);
    const rss = await (await h.request('/topics/storms/rss.xml')).text();
    expect(rss).toContain('Storm Brennan hits the coast');
    expect(rss).not.toContain('football');
  });

  it('sends validators and caching headers, and answers 304 to a matching conditional GET', async () => {
    const res = await h.request('/topics/all/rss.xml');
    const etag = res.headers.get('etag') ?? '';
    const lastModified = res.headers.get('last-modified') ?? '';
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);

    const byEtag = await h.request('/topics/all/rss.xml', { headers: { 'if-none-match': etag } });
    expect(byEtag.status).toBe(304);
    expect(await byEtag.text()).toBe('');
    expect(byEtag.headers.get('etag')).toBe(etag);
    expect(byEtag.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    // What a cache needs and CORS, not the document headers: the client keeps those of its 200.
    expect(byEtag.headers.get('vary')).toBe('Accept-Encoding');
    expect(byEtag.headers.get('access-control-allow-origin')).toBe('*');
    expect(byEtag.headers.get('x-frame-options')).toBeNull();
    // Its own content type, not a default that would relabel the cached feed.
    expect(byEtag.headers.get('content-type')).toBe(res.headers.get('content-type'));
    expect((await h.request('/topics/all/rss.xml', { headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
    expect((await h.request('/topics/all/rss.xml', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);

    expect((await h.request('/topics/all/rss.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 3_600_000).toUTCString();
    expect((await h.request('/topics/all/rss.xml', { headers: { 'if-modified-since': later } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1_000).toUTCString();
    expect((await h.request('/topics/all/rss.xml', { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    const both = await h.request('/topics/all/rss.xml', { headers: { 'if-none-match': '"other"', 'if-modified-since': later } });
    expect(both.status).toBe(200);

    // One validator per representation: another format or another limit is another entity.
    const atomTag = (await h.request('/topics/all/atom.xml')).headers.get('etag');
    const limitedTag = (await h.request('/topics/all/rss.xml?limit=2')).headers.get('etag');
    expect(new Set([etag, atomTag, limitedTag]).size).toBe(3);
    expect((await h.request('/topics/all/atom.xml', { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('changes the ETag when a story gains a source, and serves the new source', async () => {
    // HTTP dates have one-second precision: put the seeded revisions a minute back so the change
    // below lands in a later second.
    await ageChanges(h.db.pool);
    const before = await h.request('/topics/world/feed.json');
    const etag = before.headers.get('etag') ?? '';
    const lastModified = before.headers.get('last-modified') ?? '';
    expect((await h.request('/topics/world/feed.json', { headers: { 'if-none-match': etag } })).status).toBe(304);

    // A new outlet joins the election story, now.
    await addToStory(h.db.pool, ids.election, {
      feedId: await seedFeed(h.db.pool, 'https://delta.example/feed.xml', ['politics']),
      outletId: outlets.delta,
      title: 'Results are in',
      publishedAt: new Date(),
    });

    const after = await h.request('/topics/world/feed.json', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    const newTag = after.headers.get('etag');
    expect(newTag).not.toBe(etag);
    const feed = (await after.json()) as JsonFeed;
    expect(storyIdsOf(feed.items)).toEqual([ids.election, ids.storm]);
    expect(feed.items[0]?.authors?.map((a) => a.name)).toEqual(['Alpha Gazette', 'Delta Post']);
    expect(Date.parse(after.headers.get('last-modified') ?? '')).toBeGreaterThan(Date.parse(lastModified));
    expect((await h.request('/topics/world/feed.json', { headers: { 'if-modified-since': lastModified } })).status).toBe(200);
    expect((await h.request('/topics/world/feed.json', { headers: { 'if-none-match': newTag ?? '' } })).status).toBe(304);
  });

  // A source joining an older story with an older publication time changes neither the newest
  // activity nor the newest id; the validator must still change (stories.revised_at).
  it('changes the ETag when an older story gains an older source', async () => {
    const etag = (await h.request('/topics/all/feed.json')).headers.get('etag') ?? '';
    await addToStory(h.db.pool, ids.chips, {
      feedId: await seedFeed(h.db.pool, 'https://delta.example/tech.xml', ['tech']),
      outletId: outlets.delta,
      title: 'Chip maker beats forecasts',
      publishedAt: minutesAgo(290),
    });
    expect((await h.request('/topics/all/feed.json', { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('changes the ETag when the topic itself is edited', async () => {
    const etag = (await h.request('/topics/storms/feed.json')).headers.get('etag') ?? '';
    await upsertTopic(h.db.pool, { slug: 'storms', title: 'Storms', query: 'storm' });
    const res = await h.request('/topics/storms/feed.json', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(200);
    expect(storyIdsOf(((await res.json()) as JsonFeed).items)).toContain(ids.football);
  });

  it('sends the same feed gzip-compressed to a reader that accepts it, and plain to one that does not', async () => {
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const plain = await h.request(`/topics/all/${file}`);
      expect(plain.headers.get('content-encoding'), file).toBeNull();
      expect(plain.headers.get('vary'), file).toBe('Accept-Encoding');
      const text = await plain.text();
      for (let round = 0; round < 2; round += 1) {
        const zipped = await h.request(`/topics/all/${file}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
        expect(zipped.headers.get('content-encoding'), file).toBe('gzip');
        expect(zipped.headers.get('etag'), file).toBe(plain.headers.get('etag'));
        const bytes = Buffer.from(await zipped.arrayBuffer());
        expect(bytes.length, file).toBeLessThan(Buffer.byteLength(text));
        expect(gunzipSync(bytes).toString('utf8'), file).toBe(text);
      }
      const refused = await h.request(`/topics/all/${file}`, { headers: { 'accept-encoding': 'gzip;q=0, br' } });
      expect(refused.headers.get('content-encoding'), file).toBeNull();
      expect(await refused.text(), file).toBe(text);
    }
  });

  it('over a socket: gzip that any HTTP client decodes, and 304s that keep the feed\'s content type', async () => {
    const server = await startApi(h.deps, { port: 0, host: '127.0.0.1' });
    try {
      const url = `${server.url}/topics/all/rss.xml`;
      const plain = await h.request('/topics/all/rss.xml');
      const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(await res.text()).toBe(await plain.text());
      const etag = res.headers.get('etag') ?? '';
      const again = await fetch(url, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      expect(again.headers.get('content-length')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('sends CORS and secure headers on topic feeds', async () => {
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const res = await h.request(`/topics/all/${file}`, { headers: { origin: 'https://reader.example' } });
      expect(res.headers.get('access-control-allow-origin'), file).toBe('*');
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
      expect(res.headers.get('cross-origin-resource-policy'), file).toBe('cross-origin');
    }
    // Errors from a public route are readable cross-origin too.
    const missing = await h.request('/topics/nope/rss.xml', { headers: { origin: 'https://reader.example' } });
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await h.request('/topics/all/rss.xml', {
      method: 'OPTIONS',
      headers: { origin: 'https://reader.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).not.toMatch(/POST|DELETE/);
    // Every other public read too: pages, health, metrics.
    for (const path of ['/', '/topics/all', '/healthz', '/readyz', '/metrics', '/topics.opml', '/api/v1/topics']) {
      const res = await h.request(path, { headers: { origin: 'https://reader.example' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
  });
});
