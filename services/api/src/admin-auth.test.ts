import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingJobs } from '@newsfold/queue';
import { ADMIN_TOKEN, createHarness, errorOf, seedFeed, type Harness } from './testdata/harness.js';

/** Every admin route, with a body that would be accepted once authorised. */
function adminRoutes(feedId: string): { method: string; path: string; body?: string }[] {
  return [
    { method: 'GET', path: '/api/v1/feeds' },
    { method: 'POST', path: '/api/v1/feeds', body: JSON.stringify({ url: 'https://auth.example/new.xml' }) },
    { method: 'GET', path: `/api/v1/feeds/${feedId}` },
    { method: 'POST', path: `/api/v1/feeds/${feedId}/refresh` },
    { method: 'DELETE', path: `/api/v1/feeds/${feedId}` },
    { method: 'PUT', path: '/api/v1/topics/auth-test', body: JSON.stringify({ title: 'Auth test' }) },
    { method: 'DELETE', path: '/api/v1/topics/auth-test' },
    { method: 'POST', path: '/api/v1/stories/merge', body: JSON.stringify({ storyIds: ['1', '2'] }) },
    { method: 'POST', path: '/api/v1/stories/1/split', body: JSON.stringify({ articleIds: ['1'] }) },
  ];
}

describe('admin API without ADMIN_TOKEN', () => {
  let h: Harness;
  let feedId: string;
  beforeAll(async () => {
    h = await createHarness({ adminToken: null });
    feedId = await seedFeed(h.db.pool, 'https://auth.example/existing.xml');
  });
  afterAll(async () => h?.close());

  it('answers 503 admin_disabled on every admin route, whatever the Authorization header', async () => {
    for (const route of adminRoutes(feedId)) {
      for (const authorization of [undefined, 'Bearer ', `Bearer ${ADMIN_TOKEN}`, 'Bearer undefined']) {
        const res = await h.request(route.path, {
          method: route.method,
          headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
          ...(route.body === undefined ? {} : { body: route.body }),
        });
        const label = `${route.method} ${route.path} (${authorization ?? 'no header'})`;
        expect(res.status, label).toBe(503);
        expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
        expect((await errorOf(res)).error.code, label).toBe('admin_disabled');
      }
    }
    // Nothing behind the closed door ran: the feed is still there and nothing was queued.
    const { rows } = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM feeds');
    expect(rows[0]?.n).toBe(1);
    expect(await pendingJobs(h.queues.fetch)).toBe(0);
  });

  it('keeps the public API open, reads of the correction paths included', async () => {
    expect((await h.request('/api/v1/stories')).status).toBe(200);
    expect((await h.request('/topics/all/rss.xml')).status).toBe(200);
    const merge = await h.request('/api/v1/stories/merge');
    expect(merge.status).toBe(404);
    expect((await errorOf(merge)).error.code).toBe('story_not_found');
  });
});

describe('admin API with ADMIN_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('answers 401 with WWW-Authenticate when the header is missing or not a bearer token', async () => {
    const feedId = await seedFeed(h.db.pool, 'https://auth.example/401.xml');
    for (const route of adminRoutes(feedId)) {
      for (const authorization of [undefined, '', 'Bearer', 'Bearer    ', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`, ADMIN_TOKEN]) {
        const res = await h.request(route.path, {
          method: route.method,
          headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
          ...(route.body === undefined ? {} : { body: route.body }),
        });
        const label = `${route.method} ${route.path} (${JSON.stringify(authorization)})`;
        expect(res.status, label).toBe(401);
        expect(res.headers.get('www-authenticate'), label).toMatch(/^Bearer realm=/);
        const body = await errorOf(res);
        expect(body.error.code, label).toBe('unauthorized');
        expect(body.error.message, label).toEqual(expect.any(String));
      }
    }
    expect((await h.db.pool.query('SELECT 1 FROM feeds WHERE id = $1', [feedId])).rowCount).toBe(1);
  });

  it('answers 403 to a wrong token, including a prefix or an extension of the right one', async () => {
    const feedId = await seedFeed(h.db.pool, 'https://auth.example/403.xml');
    for (const token of ['wrong-token', ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, ADMIN_TOKEN.toUpperCase()]) {
      for (const route of adminRoutes(feedId)) {
        const res = await h.request(route.path, {
          method: route.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(route.body === undefined ? {} : { body: route.body }),
        });
        const label = `${route.method} ${route.path} with ${token}`;
        expect(res.status, label).toBe(403);
        expect(res.headers.get('www-authenticate'), label).toBeNull();
        expect((await errorOf(res)).error.code, label).toBe('forbidden');
      }
    }
    expect((await h.db.pool.query('SELECT 1 FROM feeds WHERE id = $1', [feedId])).rowCount).toBe(1);
  });

  it('lets the right token through on every admin route', async () => {
    const feedId = await seedFeed(h.db.pool, 'https://auth.example/ok.xml');
    const expected: Record<string, number> = {
      'GET /api/v1/feeds': 200,
      'POST /api/v1/feeds': 201,
      [`GET /api/v1/feeds/${feedId}`]: 200,
      [`POST /api/v1/feeds/${feedId}/refresh`]: 202,
      [`DELETE /api/v1/feeds/${feedId}`]: 204,
      'PUT /api/v1/topics/auth-test': 201,
      'DELETE /api/v1/topics/auth-test': 204,
      // Through the door, to stories that do not exist.
      'POST /api/v1/stories/merge': 404,
      'POST /api/v1/stories/1/split': 404,
    };
    for (const route of adminRoutes(feedId)) {
      const res = await h.admin(route.path, { method: route.method, ...(route.body === undefined ? {} : { body: route.body }) });
      expect(res.status, `${route.method} ${route.path}`).toBe(expected[`${route.method} ${route.path}`]);
    }
    // The scheme name is case-insensitive (RFC 9110 §11.1).
    const lower = await h.request('/api/v1/feeds', { headers: { authorization: `bearer ${ADMIN_TOKEN}` } });
    expect(lower.status).toBe(200);
  });

  it('sends no CORS headers on admin routes, even to a preflight', async () => {
    const get = await h.admin('/api/v1/feeds', { headers: { origin: 'https://evil.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await h.request('/api/v1/feeds', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('does not echo the token in any answer', async () => {
    const res = await h.request('/api/v1/feeds', { headers: { authorization: 'Bearer guessed-token-123' } });
    expect(await res.text()).not.toContain('guessed-token-123');
  });
});
