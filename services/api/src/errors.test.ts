import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@newsfold/logging';
import { startApi } from './server.js';
import { ADMIN_TOKEN, createHarness, seedFeed, type Harness } from './testdata/harness.js';

/** Every error is `{ error: { code, message } }` as JSON, with nothing else that could be a stack. */
async function expectError(res: Response, status: number, code: string, label = ''): Promise<Record<string, unknown>> {
  expect(res.status, label).toBe(status);
  expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
  const text = await res.text();
  expect(text, label).not.toMatch(/\n\s+at |\bat .*\.(ts|js):\d+/);
  const body = JSON.parse(text) as { error: { code: string; message: string } } & Record<string, unknown>;
  expect(body.error.code, label).toBe(code);
  expect(typeof body.error.message, label).toBe('string');
  expect(body.error.message.length, label).toBeGreaterThan(0);
  return body;
}

describe('error responses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  const postFeed = (body: string) => h.admin('/api/v1/feeds', { method: 'POST', body });

  it('answers 400 invalid_json to a body that is not JSON', async () => {
    for (const body of ['{"url":', "{url: 'https://a.example/'}", 'not json', '']) {
      await expectError(await postFeed(body), 400, 'invalid_json', JSON.stringify(body));
    }
  });

  it('answers 422 invalid_body to JSON of the wrong shape, naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /url/],
      [null, /./],
      [[], /./],
      [{ url: 42 }, /url/],
      [{ url: 'javascript:alert(1)' }, /url/],
      [{ url: 'data:text/xml,<rss/>' }, /url/],
      [{ url: 'ftp://files.example/feed.xml' }, /url/],
      [{ url: '/relative/feed.xml' }, /url/],
      [{ url: 'https://ok.example/feed.xml', tags: 'world' }, /tags/],
      [{ url: 'https://ok.example/feed.xml', tags: [1, 2] }, /tags/],
      [{ url: 'https://ok.example/feed.xml', tags: ['world', null] }, /tags/],
      [{ url: 'https://ok.example/feed.xml', tags: ['  '] }, /tags/],
      [{ url: `https://ok.example/${'a'.repeat(2100)}` }, /url/],
      // Refused without repeating the password.
      [{ url: 'https://reader:s3cretpw@private.example/feed.xml' }, /url.*user name or password/],
    ];
    for (const [body, field] of cases) {
      const res = await postFeed(JSON.stringify(body));
      const json = await expectError(res, 422, 'invalid_body', JSON.stringify(body).slice(0, 80));
      expect((json as { error: { message: string } }).error.message).toMatch(field);
      expect(JSON.stringify(json)).not.toContain('s3cretpw');
    }
    const { rows } = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM feeds');
    expect(rows[0]?.n).toBe(0);
  });

  it('answers 404 to unknown feeds, stories, topics and routes', async () => {
    const cases: [Promise<Response>, string][] = [
      [h.admin('/api/v1/feeds/999999'), 'feed_not_found'],
      [h.admin('/api/v1/feeds/not-a-number'), 'feed_not_found'],
      [h.admin('/api/v1/feeds/99999999999999999999999'), 'feed_not_found'],
      [h.admin('/api/v1/feeds/999999', { method: 'DELETE' }), 'feed_not_found'],
      [h.admin('/api/v1/feeds/999999/refresh', { method: 'POST' }), 'feed_not_found'],
      [h.request('/api/v1/stories/999999'), 'story_not_found'],
      [h.request('/api/v1/stories/abc'), 'story_not_found'],
      [h.request('/api/v1/stories?topic=no-such-topic'), 'topic_not_found'],
      [h.request('/topics/no-such-topic/rss.xml'), 'topic_not_found'],
      [h.request('/topics/no-such-topic/atom.xml'), 'topic_not_found'],
      [h.request('/topics/no-such-topic/feed.json'), 'topic_not_found'],
      [h.request('/topics/all/feed.txt'), 'not_found'],
      [h.request('/no/such/route'), 'not_found'],
      [h.request('/api/v1/nothing-here'), 'not_found'],
    ];
    for (const [pending, code] of cases) await expectError(await pending, 404, code, code);
  });

  it('answers 413 payload_too_large to a body over 1 MB, with or without Content-Length', async () => {
    const big = JSON.stringify({ url: 'https://big.example/feed.xml', tags: ['x'], pad: 'a'.repeat(1024 * 1024) });
    // In process: the body is streamed, no Content-Length.
    await expectError(await postFeed(big), 413, 'payload_too_large', 'in process');
    // Over a socket, as a client sends it (Content-Length set by fetch).
    const server = await startApi(h.deps, { port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${server.url}/api/v1/feeds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: big,
      });
      await expectError(res, 413, 'payload_too_large', 'socket');
      // Just under the limit is read (and then refused for its shape, not its size).
      const fits = JSON.stringify({ url: 'javascript:x', pad: 'a'.repeat(1000 * 1000) });
      const ok = await fetch(`${server.url}/api/v1/feeds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: fits,
      });
      await expectError(ok, 422, 'invalid_body', 'under the limit');
    } finally {
      await server.close();
    }
    const { rows } = await h.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM feeds WHERE url LIKE 'https://big.example/%'");
    expect(rows[0]?.n).toBe(0);
  });

  it('answers 409 already_subscribed to a duplicate feed, with the existing feed in the body', async () => {
    const first = await postFeed(JSON.stringify({ url: 'https://dup.example/feed.xml', tags: ['World'] }));
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; url: string; tags: string[] };
    expect(first.headers.get('location')).toBe(`/api/v1/feeds/${created.id}`);
    // The same URL spelled differently (scheme and host case, a fragment the server never sees,
    // an empty query, dot segments) is the same subscription.
    for (const url of [
      'https://dup.example/feed.xml',
      'HTTPS://DUP.EXAMPLE/feed.xml',
      '  https://dup.example/feed.xml  ',
      'https://dup.example/feed.xml?',
      'https://dup.example/feed.xml?&&',
      'https://dup.example/feed.xml#latest',
      'https://dup.example/news/../feed.xml',
    ]) {
      const again = await postFeed(JSON.stringify({ url, tags: ['other'] }));
      const body = (await expectError(again, 409, 'already_subscribed', url)) as { feed: { id: string; url: string; tags: string[] } };
      expect(body.feed).toMatchObject({ id: created.id, url: 'https://dup.example/feed.xml', tags: ['world'] });
    }
    const { rows } = await h.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM feeds WHERE url LIKE 'https://dup.example/%'");
    expect(rows[0]?.n).toBe(1);
    // A query that is there is kept: the server may answer differently to it.
    expect((await postFeed(JSON.stringify({ url: 'https://dup.example/feed.xml?section=world#top' }))).status).toBe(201);
    const list = (await (await h.admin('/api/v1/feeds')).json()) as { feeds: { url: string }[] };
    expect(list.feeds.map((f) => f.url).filter((u) => u.startsWith('https://dup.example/'))).toEqual([
      'https://dup.example/feed.xml',
      'https://dup.example/feed.xml?section=world',
    ]);
  });

  it('answers 409 feed_disabled to a refresh of a disabled feed', async () => {
    const id = await seedFeed(h.db.pool, 'https://gone.example/feed.xml');
    await h.db.pool.query("UPDATE feeds SET enabled = false, disabled_reason = 'HTTP 410 Gone' WHERE id = $1", [id]);
    const body = await expectError(await h.admin(`/api/v1/feeds/${id}/refresh`, { method: 'POST' }), 409, 'feed_disabled');
    expect((body as { error: { message: string } }).error.message).toContain('410');
  });

  it('answers 400 invalid_parameter to bad query parameters, naming the parameter', async () => {
    const garbageCursor = Buffer.from('2026-01-01T00:00:00.000Z|12; DROP TABLE stories').toString('base64url');
    const cases: [string, RegExp][] = [
      ['/api/v1/stories?limit=0', /limit/],
      ['/api/v1/stories?limit=500', /limit/],
      ['/api/v1/stories?limit=201', /limit/],
      ['/api/v1/stories?limit=-5', /limit/],
      ['/api/v1/stories?limit=2.5', /limit/],
      ['/api/v1/stories?limit=ten', /limit/],
      ['/api/v1/stories?min_sources=x', /min_sources/],
      ['/api/v1/stories?min_sources=0', /min_sources/],
      ['/api/v1/stories?since=garbage', /since/],
      ['/api/v1/stories?until=yesterday-ish', /until/],
      ['/api/v1/stories?cursor=garbage', /cursor/],
      [`/api/v1/stories?cursor=${garbageCursor}`, /cursor/],
      [`/api/v1/stories?cursor=${'A'.repeat(300)}`, /cursor/],
      [`/api/v1/stories?q=${'w'.repeat(501)}`, /^q: /],
      ['/topics/all/rss.xml?limit=0', /limit/],
      ['/topics/all/atom.xml?limit=500', /limit/],
      ['/topics/all/feed.json?min_sources=x', /min_sources/],
    ];
    for (const [path, param] of cases) {
      const body = (await expectError(await h.request(path), 400, 'invalid_parameter', path)) as { error: { message: string } };
      expect(body.error.message, path).toMatch(param);
    }
  });
});

describe('unexpected errors', () => {
  let h: Harness;
  const logged: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    h = await createHarness({ log: createLogger({ level: 'error' }, sink) });
    // The app is built; now the database loses a table under it.
    await h.db.pool.query('DROP TABLE stories CASCADE');
  });
  afterAll(async () => h?.close());

  it('answers 500 internal_error without a stack trace or the database error, and logs it', async () => {
    for (const path of ['/api/v1/stories', '/api/v1/stories/1', '/topics/all/feed.json', '/topics/all/rss.xml']) {
      const res = await h.request(path);
      expect(res.status, path).toBe(500);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      const text = await res.text();
      expect(text, path).not.toMatch(/\bat /);
      expect(text, path).not.toMatch(/does not exist|relation|stories_|\.ts:|node_modules/);
      expect(JSON.parse(text), path).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    }
    // The operator still gets the detail, in the log.
    const entries = logged.map((line) => JSON.parse(line) as { msg: string; path: string; err?: { message: string; stack: string } });
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries[0]?.err?.message).toMatch(/relation "stories" does not exist/);
    expect(entries[0]?.err?.stack).toMatch(/\n\s+at /);
  });
});
