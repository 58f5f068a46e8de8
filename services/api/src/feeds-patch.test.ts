import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueFeeds, recordFetchError, upsertTopic } from '@newsfold/db';
import { recomputeTopic } from '@newsfold/stories';
import { openApiDocument } from './openapi-document.js';
import { ADMIN_TOKEN, createHarness, errorOf, minutesAgo, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';

interface FeedJson {
  id: string;
  url: string;
  title: string | null;
  tags: string[];
  enabled: boolean;
  disabledReason: string | null;
  state: { lastErrorCode: string | null; lastError: string | null; errorCount: number; nextFetchAt: string };
  createdAt: string;
}

const json = (body: unknown): RequestInit => ({ method: 'PATCH', body: JSON.stringify(body) });

describe('PATCH /api/v1/feeds/{id}', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  const getFeedJson = async (id: string) => (await (await h.admin(`/api/v1/feeds/${id}`)).json()) as FeedJson;

  it('changes the title and tags (normalised as on subscribe), leaving the rest alone, and answers with the feed', async () => {
    const id = await seedFeed(h.db.pool, 'https://patch.example/title.xml', ['old']);
    const before = await getFeedJson(id);

    const res = await h.admin(`/api/v1/feeds/${id}`, json({ title: '  Patch Gazette — World  ', tags: [' World ', 'TECH', 'world'] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const feed = (await res.json()) as FeedJson;
    expect(feed).toEqual({ ...before, title: 'Patch Gazette — World', tags: ['tech', 'world'] });
    expect(await getFeedJson(id)).toEqual(feed);

    // One field at a time: the others stay.
    const tagsOnly = (await (await h.admin(`/api/v1/feeds/${id}`, json({ tags: [] }))).json()) as FeedJson;
    expect(tagsOnly).toMatchObject({ title: 'Patch Gazette — World', tags: [], enabled: true });
    const titleOnly = (await (await h.admin(`/api/v1/feeds/${id}`, json({ title: 'Renamed' }))).json()) as FeedJson;
    expect(titleOnly).toMatchObject({ title: 'Renamed', tags: [] });

    // null and the empty string clear the title (the feed's own is filled in at its next fetch).
    expect(((await (await h.admin(`/api/v1/feeds/${id}`, json({ title: null }))).json()) as FeedJson).title).toBeNull();
    await h.admin(`/api/v1/feeds/${id}`, json({ title: 'Again' }));
    expect(((await (await h.admin(`/api/v1/feeds/${id}`, json({ title: '   ' }))).json()) as FeedJson).title).toBeNull();

    // Unknown properties are ignored, beside a known one.
    const extra = await h.admin(`/api/v1/feeds/${id}`, json({ title: 'Kept', url: 'https://elsewhere.example/', id: '1' }));
    expect(extra.status).toBe(200);
    expect((await extra.json()) as FeedJson).toMatchObject({ id, url: 'https://patch.example/title.xml', title: 'Kept' });
  });

  it('disabling stops scheduling the feed and says an admin did it; re-enabling clears the reason and errors and makes it due now', async () => {
    const id = await seedFeed(h.db.pool, 'https://patch.example/toggle.xml');
    const later = new Date(Date.now() + 6 * 3600_000);
    for (let i = 0; i < 3; i += 1) {
      await recordFetchError(h.db.pool, id, { status: 500, code: 'http_error', message: 'HTTP 500', nextFetchAt: later });
    }
    const failing = await getFeedJson(id);
    expect(failing.state.errorCount).toBe(3);

    const off = await h.admin(`/api/v1/feeds/${id}`, json({ enabled: false }));
    expect(off.status).toBe(200);
    const disabled = (await off.json()) as FeedJson;
    expect(disabled).toEqual({ ...failing, enabled: false, disabledReason: 'disabled by an admin' });
    // Disabled feeds are never claimed, however due.
    await h.db.pool.query("UPDATE feeds SET next_fetch_at = now() - interval '1 hour' WHERE id = $1", [id]);
    expect(await claimDueFeeds(h.db.pool, { limit: 1000, leaseMs: 60_000 })).not.toContain(id);
    await h.db.pool.query('UPDATE feeds SET next_fetch_at = $2 WHERE id = $1', [id, later]);

    // Disabling again keeps the reason; so does a PATCH that does not touch `enabled`.
    expect(((await (await h.admin(`/api/v1/feeds/${id}`, json({ enabled: false }))).json()) as FeedJson).disabledReason).toBe('disabled by an admin');
    expect(((await (await h.admin(`/api/v1/feeds/${id}`, json({ tags: ['x'] }))).json()) as FeedJson).enabled).toBe(false);

    const startedAt = Date.now();
    const on = await h.admin(`/api/v1/feeds/${id}`, json({ enabled: true }));
    expect(on.status).toBe(200);
    const enabled = (await on.json()) as FeedJson;
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, state: { errorCount: 0 } });
    // Due now (not at the backed-off time), so the next tick claims it.
    expect(Date.parse(enabled.state.nextFetchAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(enabled.state.nextFetchAt)).toBeGreaterThanOrEqual(startedAt - 5_000);
    expect(await claimDueFeeds(h.db.pool, { limit: 1000, leaseMs: 60_000 })).toContain(id);

    // Enabling an enabled feed changes nothing about its schedule or errors.
    await recordFetchError(h.db.pool, id, { status: 500, code: 'http_error', message: 'HTTP 500', nextFetchAt: later });
    const still = (await (await h.admin(`/api/v1/feeds/${id}`, json({ enabled: true }))).json()) as FeedJson;
    expect(still).toMatchObject({ enabled: true, disabledReason: null, state: { errorCount: 1, nextFetchAt: later.toISOString() } });
  });

  it('re-enables a feed the poller disabled (410 Gone), and a feed the poller disabled keeps its reason when disabled again', async () => {
    const id = await seedFeed(h.db.pool, 'https://patch.example/gone.xml');
    const later = new Date(Date.now() + 24 * 3600_000);
    await recordFetchError(h.db.pool, id, { status: 410, code: 'feed_gone', message: 'HTTP 410 Gone', nextFetchAt: later, disable: true });
    expect(await getFeedJson(id)).toMatchObject({ enabled: false, disabledReason: 'HTTP 410 Gone' });

    expect(((await (await h.admin(`/api/v1/feeds/${id}`, json({ enabled: false }))).json()) as FeedJson).disabledReason).toBe('HTTP 410 Gone');
    const on = (await (await h.admin(`/api/v1/feeds/${id}`, json({ enabled: true }))).json()) as FeedJson;
    expect(on).toMatchObject({ enabled: true, disabledReason: null, state: { errorCount: 0 } });
    expect(Date.parse(on.state.nextFetchAt)).toBeLessThanOrEqual(Date.now());
  });

  it("moves the feed's stories between topics when its tags change", async () => {
    const pool = h.db.pool;
    const alpha = await seedOutlet(pool, 'Patch Alpha');
    const beta = await seedOutlet(pool, 'Patch Beta');
    const fAlpha = await seedFeed(pool, 'https://patch-alpha.example/feed.xml', ['world']);
    const fBeta = await seedFeed(pool, 'https://patch-beta.example/feed.xml', ['world']);
    const t0 = minutesAgo(60);
    // Alpha alone, and a story both outlets covered.
    const alone = await seedStory(pool, [{ feedId: fAlpha, outletId: alpha, title: 'Tidal barrage opens on the estuary', publishedAt: t0 }]);
    const shared = await seedStory(pool, [
      { feedId: fAlpha, outletId: alpha, title: 'Central bank holds rates steady', publishedAt: t0 },
      { feedId: fBeta, outletId: beta, title: 'Rates held by central bank', publishedAt: minutesAgo(50) },
    ]);
    await upsertTopic(pool, { slug: 'patch-world', title: 'World', tags: ['world'] });
    await upsertTopic(pool, { slug: 'patch-tech', title: 'Tech', tags: ['tech'] });
    expect(await recomputeTopic(pool, 'patch-world')).toBe(true);
    expect(await recomputeTopic(pool, 'patch-tech')).toBe(true);

    const members = async (topic: string) =>
      (
        await pool.query<{ id: string }>('SELECT story_id::text AS id FROM topic_stories WHERE topic = $1 ORDER BY story_id', [topic])
      ).rows.map((r) => r.id);
    const feedIds = async (topic: string) =>
      ((await (await h.request(`/api/v1/stories?topic=${topic}&limit=200`)).json()) as { stories: { id: string }[] }).stories.map((s) => s.id).sort();
    expect(await members('patch-world')).toEqual([alone.storyId, shared.storyId].sort());
    expect(await members('patch-tech')).toEqual([]);

    const rss = await h.request('/topics/patch-tech/rss.xml');
    expect(rss.status).toBe(200);
    const etag = rss.headers.get('etag') ?? '';
    expect((await h.request('/topics/patch-tech/rss.xml', { headers: { 'if-none-match': etag } })).status).toBe(304);

    const res = await h.admin(`/api/v1/feeds/${fAlpha}`, json({ tags: ['Tech'] }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as FeedJson).tags).toEqual(['tech']);

    // Alpha's own story left `world` for `tech`; the shared one is in both (Beta still carries `world`).
    expect(await members('patch-world')).toEqual([shared.storyId]);
    expect(await members('patch-tech')).toEqual([alone.storyId, shared.storyId].sort());
    expect(await feedIds('patch-world')).toEqual([shared.storyId]);
    expect(await feedIds('patch-tech')).toEqual([alone.storyId, shared.storyId].sort());
    // The tech feed changed, so a reader's validator no longer matches.
    const after = await h.request('/topics/patch-tech/rss.xml', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Tidal barrage opens on the estuary');

    // Same tags again: nothing moves, and the topics are not marked changed.
    const revised = async () =>
      (await pool.query<{ r: string }>("SELECT string_agg(revised_at::text, ',' ORDER BY slug) AS r FROM topics WHERE slug LIKE 'patch-%'")).rows[0]?.r;
    const before = await revised();
    expect((await h.admin(`/api/v1/feeds/${fAlpha}`, json({ tags: ['tech', 'TECH'] }))).status).toBe(200);
    expect(await revised()).toBe(before);

    // Both feeds lose `world`: the topic is empty.
    await h.admin(`/api/v1/feeds/${fBeta}`, json({ tags: [] }));
    expect(await members('patch-world')).toEqual([]);
    expect(await feedIds('patch-world')).toEqual([]);
  });

  it('answers 404 for a feed that does not exist, 400 for malformed JSON and 422 for a body of the wrong shape', async () => {
    for (const id of ['999999999', 'abc', '1e3', '99999999999999999999']) {
      const res = await h.admin(`/api/v1/feeds/${id}`, json({ title: 'x' }));
      expect(res.status, id).toBe(404);
      expect((await errorOf(res)).error.code, id).toBe('feed_not_found');
    }

    const id = await seedFeed(h.db.pool, 'https://patch.example/invalid.xml', ['keep']);
    const before = await getFeedJson(id);
    for (const body of ['{', '{"title": "x",}', "{'title': 'x'}", 'title=x']) {
      const res = await h.admin(`/api/v1/feeds/${id}`, { method: 'PATCH', body });
      expect(res.status, body).toBe(400);
      expect((await errorOf(res)).error.code, body).toBe('invalid_json');
    }
    const invalid: unknown[] = [
      {},
      { url: 'https://patch.example/other.xml' },
      null,
      [],
      'title',
      42,
      { title: 'x'.repeat(301) },
      { title: 7 },
      { title: 'bell\u0007' },
      { title: 'nul\u0000' },
      { tags: 'world' },
      { tags: [''] },
      { tags: ['   '] },
      { tags: ['t'.repeat(65)] },
      { tags: Array.from({ length: 51 }, (_, i) => `tag${i}`) },
      { tags: [1] },
      { tags: ['ok\u0000'] },
      { enabled: 'true' },
      { enabled: 0 },
      { enabled: null },
      { tags: null },
      { title: 'fine', enabled: 'no' },
    ];
    for (const body of invalid) {
      const res = await h.admin(`/api/v1/feeds/${id}`, json(body));
      const label = JSON.stringify(body).slice(0, 80);
      expect(res.status, label).toBe(422);
      const error = await errorOf(res);
      expect(error.error.code, label).toBe('invalid_body');
      expect(error.error.message, label).toEqual(expect.any(String));
    }
    // A 422 body names the field.
    expect((await errorOf(await h.admin(`/api/v1/feeds/${id}`, json({ title: 'x'.repeat(301) })))).error.message).toMatch(/^title: /);
    // At the limits: accepted.
    const limits = await h.admin(`/api/v1/feeds/${id}`, json({ title: 'x'.repeat(300), tags: Array.from({ length: 50 }, (_, i) => `${'t'.repeat(60)}${i}`) }));
    expect(limits.status).toBe(200);
    expect(((await limits.json()) as FeedJson).tags).toHaveLength(50);
    await h.admin(`/api/v1/feeds/${id}`, json({ title: before.title, tags: before.tags }));
    expect(await getFeedJson(id)).toEqual(before);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const id = await seedFeed(h.db.pool, 'https://patch.example/large.xml');
    const res = await h.admin(`/api/v1/feeds/${id}`, json({ title: 'x', padding: 'y'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).error.code).toBe('payload_too_large');
  });

  it('is an admin route: 401 without a bearer token, 403 with a wrong one, and nothing changes', async () => {
    const id = await seedFeed(h.db.pool, 'https://patch.example/auth.xml', ['world']);
    const body = JSON.stringify({ title: 'Hijacked', enabled: false });
    for (const authorization of [undefined, '', 'Bearer', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`, ADMIN_TOKEN]) {
      const res = await h.request(`/api/v1/feeds/${id}`, {
        method: 'PATCH',
        body,
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      });
      const label = JSON.stringify(authorization);
      expect(res.status, label).toBe(401);
      expect(res.headers.get('www-authenticate'), label).toMatch(/^Bearer realm=/);
      expect((await errorOf(res)).error.code, label).toBe('unauthorized');
    }
    for (const token of ['wrong-token', ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`]) {
      const res = await h.request(`/api/v1/feeds/${id}`, {
        method: 'PATCH',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      expect(res.status, token).toBe(403);
      expect((await errorOf(res)).error.code, token).toBe('forbidden');
    }
    // No CORS for an admin write, preflight included.
    const preflight = await h.request(`/api/v1/feeds/${id}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(await getFeedJson(id)).toMatchObject({ title: null, enabled: true, tags: ['world'] });
  });

  it('documents the same body as the zod schema', () => {
    const patch = openApiDocument.paths['/api/v1/feeds/{id}'].patch as { requestBody?: unknown; responses: Record<string, unknown> };
    expect(patch.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/FeedPatch' } } } });
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '413', '422']));
    expect(openApiDocument.components.schemas.FeedPatch).toMatchObject({
      anyOf: [{ required: ['title'] }, { required: ['tags'] }, { required: ['enabled'] }],
      properties: {
        title: { type: ['string', 'null'], maxLength: 300 },
        tags: { type: 'array', maxItems: 50, items: { minLength: 1, maxLength: 64 } },
        enabled: { type: 'boolean' },
      },
    });
  });
});

describe('PATCH /api/v1/feeds/{id} without ADMIN_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ adminToken: null });
  });
  afterAll(async () => h?.close());

  it('answers 503 admin_disabled, even with a token', async () => {
    const id = await seedFeed(h.db.pool, 'https://patch.example/closed.xml');
    for (const authorization of [undefined, `Bearer ${ADMIN_TOKEN}`]) {
      const res = await h.request(`/api/v1/feeds/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ enabled: false }),
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      });
      expect(res.status).toBe(503);
      expect((await errorOf(res)).error.code).toBe('admin_disabled');
    }
    const { rows } = await h.db.pool.query<{ enabled: boolean }>('SELECT enabled FROM feeds WHERE id = $1', [id]);
    expect(rows[0]?.enabled).toBe(true);
  });
});
