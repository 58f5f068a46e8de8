import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertTopic } from '@newsfold/db';
import { parseOpml } from '@newsfold/opml';
import { ADMIN_TOKEN, createHarness, errorOf, PUBLIC_URL, type Harness } from './testdata/harness.js';
import { createApp } from './app.js';

function opml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Mine</title></head><body>${body}</body></opml>`;
}

const outline = (url: string, attrs = '') => `<outline type="rss" text="${url}" xmlUrl="${url}"${attrs}/>`;

const THREE_FOLDERS = opml(
  `<outline text="World">${outline('https://world-one.example/rss', ' title="World One" htmlUrl="https://world-one.example/"')}${outline('https://world-two.example/rss', ' category="Europe,/Politics"')}</outline>` +
    `<outline text="Tech">${outline('https://tech.example/atom.xml')}<outline text="AI">${outline('https://ai.example/feed')}</outline></outline>` +
    `<outline text="Business">${outline('https://biz.example/rss?a=1&amp;b=2')}${outline('javascript:alert(1)')}${outline('not a url')}</outline>` +
    outline('https://untagged.example/rss'),
);

describe('OPML API', () => {
  let h: Harness;
  let app: Hono;
  const post = (xml: string | Uint8Array, type = 'text/x-opml', auth = true) =>
    app.request('/api/v1/opml', {
      method: 'POST',
      body: xml,
      headers: { 'content-type': type, ...(auth ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}) },
    });

  beforeAll(async () => {
    h = await createHarness();
    app = createApp(h.deps);
  });
  afterAll(async () => h?.close());

  it('imports folders and categories as tags, reports invalid outlines, and queues fetches for new feeds', async () => {
    const res = await post(THREE_FOLDERS);
    expect(res.status).toBe(200);
    const result = (await res.json()) as { imported: number; created: number; existing: number; invalid: { xmlUrl: string; reason: string }[] };
    expect(result).toMatchObject({ imported: 6, created: 6, existing: 0 });
    expect(result.invalid.map((i) => i.xmlUrl).sort()).toEqual(['javascript:alert(1)', 'not a url']);
    expect(result.invalid.every((i) => i.reason.length > 0)).toBe(true);

    const { rows } = await h.db.pool.query<{ id: string; url: string; tags: string[]; title: string | null; siteUrl: string | null }>(
      'SELECT id::text, url, tags, title, site_url AS "siteUrl" FROM feeds ORDER BY url',
    );
    const byUrl = Object.fromEntries(rows.map((r) => [r.url, r]));
    expect(byUrl['https://world-one.example/rss']).toMatchObject({ tags: ['world'], title: 'World One', siteUrl: 'https://world-one.example/' });
    expect(byUrl['https://world-two.example/rss']?.siteUrl).toBeNull();
    expect(byUrl['https://world-two.example/rss']?.tags).toEqual(['europe', 'politics', 'world']);
    expect(byUrl['https://ai.example/feed']?.tags).toEqual(['ai', 'tech']);
    expect(byUrl['https://biz.example/rss?a=1&b=2']?.tags).toEqual(['business']);
    expect(byUrl['https://untagged.example/rss']?.tags).toEqual([]);
    for (const row of rows) expect(await h.queues.fetch.getJob(`feed-${row.id}`)).toBeTruthy();

    // Importing again creates nothing and changes nothing.
    const again = (await (await post(THREE_FOLDERS, 'application/xml; charset=utf-8')).json()) as { created: number; existing: number };
    expect(again).toMatchObject({ created: 0, existing: 6 });
  });

  it('exports every feed as OPML that parses back to the same URLs and tags', async () => {
    const res = await app.request('/api/v1/opml', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="newsfold.opml"');
    const exported = parseOpml(await res.text());
    const { rows } = await h.db.pool.query<{ url: string; tags: string[] }>('SELECT url, tags FROM feeds');
    expect(exported.map((o) => o.xmlUrl).sort()).toEqual(rows.map((r) => r.url).sort());
    for (const row of rows) expect([...(exported.find((o) => o.xmlUrl === row.url)?.tags ?? [])].sort()).toEqual(row.tags);
    expect(exported.find((o) => o.xmlUrl === 'https://world-one.example/rss')?.title).toBe('World One');
  });

  it('is admin-only: 401 without a token, 403 with a wrong one, 503 when none is configured; nothing imported', async () => {
    const feeds = async () => (await h.db.pool.query('SELECT 1 FROM feeds')).rowCount;
    const before = await feeds();
    const unseen = opml(outline('https://refused.example/rss'));
    expect((await post(unseen, 'text/x-opml', false)).status).toBe(401);
    expect((await app.request('/api/v1/opml')).status).toBe(401);
    const wrong = { authorization: `Bearer ${ADMIN_TOKEN}x` };
    expect((await app.request('/api/v1/opml', { method: 'POST', body: unseen, headers: { 'content-type': 'text/x-opml', ...wrong } })).status).toBe(403);
    expect((await app.request('/api/v1/opml', { headers: wrong })).status).toBe(403);
    const closed = createApp({ ...h.deps, config: { ...h.deps.config, adminToken: undefined } });
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await closed.request('/api/v1/opml', { method: 'POST', body: unseen, headers: { 'content-type': 'text/x-opml', ...auth } })).status).toBe(503);
    expect((await closed.request('/api/v1/opml', { headers: auth })).status).toBe(503);
    expect(await feeds()).toBe(before);
  });

  it('skips an outline whose URL carries a user name or password', async () => {
    const res = await post(opml(outline('https://reader:pw@private.example/feed.xml')));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 0, invalid: [{ reason: 'a user name or password in the URL is not supported' }] });
  });

  it('takes the document as sent by curl, raw or as a multipart file, and refuses JSON with 415', async () => {
    const one = (n: string) => opml(outline(`https://upload-${n}.example/rss`));
    const created = async (res: Response) => {
      expect(res.status).toBe(200);
      return ((await res.json()) as { created: number }).created;
    };
    // `curl --data-binary @subs.opml` labels the bytes as a form; other clients send octet-stream.
    expect(await created(await post(one('form'), 'application/x-www-form-urlencoded'))).toBe(1);
    expect(await created(await post(one('octets'), 'application/octet-stream'))).toBe(1);
    // `curl -F file=@subs.opml`.
    const form = new FormData();
    form.append('note', 'not the file');
    form.append('file', new Blob([one('multipart')], { type: 'application/octet-stream' }), 'subs.opml');
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect(await created(await app.request('/api/v1/opml', { method: 'POST', body: form, headers: auth }))).toBe(1);
    const { rows } = await h.db.pool.query<{ url: string }>("SELECT url FROM feeds WHERE url LIKE 'https://upload-%' ORDER BY url");
    expect(rows.map((r) => r.url)).toEqual(['https://upload-form.example/rss', 'https://upload-multipart.example/rss', 'https://upload-octets.example/rss']);

    const noFile = new FormData();
    noFile.append('file', one('text-field'));
    const missing = await app.request('/api/v1/opml', { method: 'POST', body: noFile, headers: auth });
    expect(missing.status).toBe(422);
    expect((await errorOf(missing)).error.code).toBe('no_file');

    const json = await post(THREE_FOLDERS, 'application/json');
    expect(json.status).toBe(415);
    expect((await errorOf(json)).error.code).toBe('unsupported_media_type');
  });

  it('refuses malformed OPML and a billion-laughs document with 422, fast', async () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < 10; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?><!DOCTYPE opml [${levels.join('')}]><opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://e.example/f"/></body></opml>`;
    const started = performance.now();
    const res = await post(bomb);
    // A hang guard, not a speed measure: expanding the bomb would take minutes and gigabytes.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(422);
    const body = await errorOf(res);
    expect(body.error.code).toBe('invalid_opml');
    expect(body.error.message).toMatch(/entit/i);

    const malformed = await post('<opml><body><outline xmlUrl="https://x.example/"></body></opml>');
    expect(malformed.status).toBe(422);
    expect((await post('<rss version="2.0"><channel/></rss>')).status).toBe(422);
  });

  it('answers 413 with the JSON error shape over 5 MB', async () => {
    const padding = `<!--${'x'.repeat(6 * 1024 * 1024)}-->`;
    const res = await post(opml(padding + outline('https://big.example/rss')));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).error.code).toBe('payload_too_large');
  });

  it('answers 422 beyond 10,000 feed outlines, and imports 10,000 (a 2 MB body the 1 MB API limit lets through)', async () => {
    const many = (n: number) => opml(Array.from({ length: n }, (_, i) => outline(`https://bulk-${i}.example/feed/rss.xml?padding=${'p'.repeat(120)}`)).join('\n'));
    const over = await post(many(10_001));
    expect(over.status).toBe(422);
    expect((await errorOf(over)).error.code).toBe('too_many_outlines');

    const exactly = many(10_000);
    expect(exactly.length).toBeGreaterThan(1024 * 1024);
    const res = await post(exactly);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 10_000, created: 10_000, existing: 0, invalid: [] });
    const { rows } = await h.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM feeds WHERE url LIKE 'https://bulk-%'");
    expect(rows[0]?.n).toBe(10_000);
    // The first thousand are fetched at once; the rest are due now, for the scheduler's next ticks.
    expect(await h.queues.fetch.count()).toBeLessThanOrEqual(1_000 + 10);
  }, 60_000);

  it('reads the encoding the XML declaration names', async () => {
    const latin1 = Buffer.from(opml(`<outline text="Économie">${outline('https://eco.example/rss')}</outline>`).replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect((await post(new Uint8Array(latin1))).status).toBe(200);
    const { rows } = await h.db.pool.query<{ tags: string[] }>("SELECT tags FROM feeds WHERE url = 'https://eco.example/rss'");
    expect(rows[0]?.tags).toEqual(['économie']);
  });

  it('lists every topic feed at /topics.opml with absolute URLs, without auth', async () => {
    await upsertTopic(h.db.pool, { slug: 'all', title: 'All stories' }, { onlyIfMissing: true });
    await upsertTopic(h.db.pool, { slug: 'ukraine', title: 'Ukraine & the war', query: 'ukraine' });
    const res = await app.request('/topics.opml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const outlines = parseOpml(await res.text());
    expect(outlines).toEqual(
      expect.arrayContaining([
        { xmlUrl: `${PUBLIC_URL}/topics/all/rss.xml`, title: expect.any(String), htmlUrl: `${PUBLIC_URL}/topics/all/`, tags: [] },
        { xmlUrl: `${PUBLIC_URL}/topics/ukraine/rss.xml`, title: 'Ukraine & the war', htmlUrl: `${PUBLIC_URL}/topics/ukraine/`, tags: [] },
      ]),
    );
    const { rows } = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM topics');
    expect(outlines).toHaveLength(rows[0]?.n ?? -1);
  });
});
