import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getFeed, insertFeed, listFeeds, type FeedRow } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis, type FetchedEntries, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, startLoopbackServer, type LoopbackServer, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { fetchFeed, type FetchFeedDeps } from './fetch-feed.js';

/**
 * fetchFeed against a real Postgres, Redis and a loopback HTTP server: what each answer of an
 * outlet's server does to the feed row and to the normalize queue.
 */

const MINUTE = 60_000;
const bounds = { minMs: 5 * MINUTE, maxMs: 24 * 60 * MINUTE };
const SLACK = 5_000;

function rss(titles: string[], channel = 'Alpha Gazette'): string {
  const items = titles
    .map((t, i) => {
      const pub = new Date(Date.now() - (i + 1) * 3_600_000).toUTCString();
      return `<item><title>${t}</title><link>https://alpha.example/${i}</link><guid>g-${i}</guid><pubDate>${pub}</pubDate></item>`;
    })
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${channel}</title><link>https://alpha.example/</link>${items}</channel></rss>`;
}

const FEED = rss(['Storm Brennan reaches the coast', 'Ferry services suspended']);
const HTML = '<!doctype html><html><head><title>Alpha</title></head><body><p>Hello</p></body></html>';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
const xml = (body: string, headers: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/rss+xml', ...headers }).end(body);
};

describe('fetchFeed', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: ReturnType<typeof createRedis>;
  let queues: Queues;
  let server: LoopbackServer;
  let deps: FetchFeedDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    connection = createRedis(redis.url);
    queues = createQueues(connection, redis.prefix);
    server = await startLoopbackServer((req, res) => {
      const route = routes.get(req.url ?? '');
      if (route) route(req, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    deps = {
      pool: db.pool,
      normalizeQueue: queues.normalize,
      log: createLogger({ level: 'silent' }),
      fetch: { timeoutMs: 2_000, maxBytes: 1_000_000, maxRedirects: 3, allowPrivateNetworks: true, userAgent: 'newsfold/test' },
      bounds,
    };
  });

  afterAll(async () => {
    await queues?.close();
    connection?.disconnect();
    await server?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  beforeEach(async () => {
    routes.clear();
    server.requests.length = 0;
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets RESTART IDENTITY CASCADE');
    await queues.normalize.obliterate({ force: true });
  });

  async function subscribe(path: string): Promise<FeedRow> {
    return (await insertFeed(db.pool, { url: `${server.url}${path}` })).feed;
  }
  async function feedRow(id: string): Promise<FeedRow> {
    const row = await getFeed(db.pool, id);
    if (!row) throw new Error(`feed ${id} missing`);
    return row;
  }
  const storedBatches = async (feedId: string) =>
    (await db.pool.query<{ id: string; payload: FetchedEntries }>('SELECT id::text, payload FROM entry_batches WHERE feed_id = $1 ORDER BY chunk', [feedId])).rows;
  const jobCount = () => queues.normalize.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized');

  it('enqueues one normalize job for a 200 and stores validators, body hash and the next fetch', async () => {
    const lastModified = 'Wed, 25 Nov 2026 10:00:00 GMT';
    routes.set('/feed.xml', xml(FEED, { etag: '"v1"', 'last-modified': lastModified }));
    const feed = await subscribe('/feed.xml');
    const before = Date.now();
    const outcome = await fetchFeed(deps, feed.id);
    expect(outcome).toMatchObject({ kind: 'enqueued', entries: 2 });

    // The entries are on record in Postgres; the job in Redis only points at them.
    const [batch, ...more] = await storedBatches(feed.id);
    expect(more).toEqual([]);
    expect(batch?.payload.feed.title).toBe('Alpha Gazette');
    expect(batch?.payload.entries.map((e) => e.title)).toEqual(['Storm Brennan reaches the coast', 'Ferry services suspended']);
    const jobs = await queues.normalize.getJobs(['prioritized', 'waiting']);
    expect(jobs.map((j) => j.data)).toEqual([{ batchId: batch?.id, feedId: feed.id }]);

    const row = await feedRow(feed.id);
    expect(row).toMatchObject({ etag: '"v1"', lastModified, lastStatus: 200, errorCount: 0, lastErrorCode: null });
    expect(row.bodyHash).toBe(createHash('sha256').update(FEED).digest('hex'));
    const delay = row.nextFetchAt.getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(bounds.minMs - SLACK);
    expect(delay).toBeLessThanOrEqual(bounds.maxMs + SLACK);
  });

  it('passes on a base the feed declares (xml:base) for relative links, and none when it declares none', async () => {
    const atom = (base: string) =>
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"${base}><title>Beta</title><id>b</id><updated>2026-11-26T09:00:00Z</updated>` +
      '<entry><id>e1</id><title>Harbour reopens</title><link href="/news/harbour"/><updated>2026-11-26T09:00:00Z</updated>' +
      '<content type="html">&lt;a href="more.html"&gt;more&lt;/a&gt;</content></entry></feed>';
    routes.set('/based.xml', xml(atom(' xml:base="https://beta.example/archive/"')));
    routes.set('/plain.xml', xml(atom('')));
    for (const [path, expected] of [['/based.xml', 'https://beta.example/archive/'], ['/plain.xml', undefined]] as const) {
      await queues.normalize.obliterate({ force: true });
      const feed = await subscribe(path);
      expect((await fetchFeed(deps, feed.id)).kind, path).toBe('enqueued');
      const [batch] = await storedBatches(feed.id);
      expect(batch?.payload.entries[0]?.baseUrl, path).toBe(expected);
    }
  });

  it('sends the stored validators and enqueues nothing on 304', async () => {
    routes.set('/feed.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else xml(FEED, { etag: '"v1"' })(req, res);
    });
    const feed = await subscribe('/feed.xml');
    expect((await fetchFeed(deps, feed.id)).kind).toBe('enqueued');
    const hash = (await feedRow(feed.id)).bodyHash;

    expect(await fetchFeed(deps, feed.id)).toEqual({ kind: 'not-modified' });
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(await jobCount()).toBe(1);
    const row = await feedRow(feed.id);
    expect(row).toMatchObject({ etag: '"v1"', lastStatus: 304, errorCount: 0, bodyHash: hash });
    expect(row.nextFetchAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('recognises the same body without validators as unchanged', async () => {
    routes.set('/feed.xml', xml(FEED));
    const feed = await subscribe('/feed.xml');
    expect((await fetchFeed(deps, feed.id)).kind).toBe('enqueued');
    expect(await fetchFeed(deps, feed.id)).toEqual({ kind: 'unchanged' });
    expect(await jobCount()).toBe(1);
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('disables a feed on 410 and skips it afterwards', async () => {
    routes.set('/gone.xml', (_req, res) => res.writeHead(410).end());
    const feed = await subscribe('/gone.xml');
    expect(await fetchFeed(deps, feed.id)).toMatchObject({ kind: 'failed', code: 'gone' });
    const row = await feedRow(feed.id);
    expect(row).toMatchObject({ enabled: false, lastStatus: 410, lastErrorCode: 'gone' });
    expect(row.disabledReason).toBeTruthy();
    expect(await fetchFeed(deps, feed.id)).toEqual({ kind: 'skipped', reason: 'disabled' });
    expect(server.requests).toHaveLength(1);
    expect(await fetchFeed(deps, '999999')).toEqual({ kind: 'skipped', reason: 'missing' });
  });

  it('backs off exponentially on repeated 500s, visible in listFeeds, and recovers on a 200', async () => {
    let failing = true;
    routes.set('/flaky.xml', (req, res) => (failing ? res.writeHead(500).end('oops') : xml(FEED)(req, res)));
    const feed = await subscribe('/flaky.xml');
    const delays: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const before = Date.now();
      expect(await fetchFeed(deps, feed.id)).toMatchObject({ kind: 'failed', code: 'http_error' });
      const [listed] = await listFeeds(db.pool);
      expect(listed).toMatchObject({ id: feed.id, errorCount: i, lastErrorCode: 'http_error', lastStatus: 500, enabled: true });
      delays.push((listed as FeedRow).nextFetchAt.getTime() - before);
    }
    // 5, 10, 20 minutes ±20 % jitter: the ranges do not overlap, so each wait is longer.
    expect(delays[0]).toBeGreaterThanOrEqual(4 * MINUTE - SLACK);
    expect(delays[1]).toBeGreaterThan(delays[0] as number);
    expect(delays[2]).toBeGreaterThan(delays[1] as number);
    expect(delays[2]).toBeLessThanOrEqual(24 * MINUTE + SLACK);
    expect(await jobCount()).toBe(0);

    failing = false;
    expect((await fetchFeed(deps, feed.id)).kind).toBe('enqueued');
    expect(await feedRow(feed.id)).toMatchObject({ errorCount: 0, lastErrorCode: null, lastError: null, lastStatus: 200 });
  });

  it('honours Retry-After on 429 and 503, capped at the maximum interval', async () => {
    routes.set('/busy.xml', (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    routes.set('/down.xml', (_req, res) => res.writeHead(503, { 'retry-after': String(30 * 24 * 3600) }).end());
    const busy = await subscribe('/busy.xml');
    const down = await subscribe('/down.xml');
    const before = Date.now();
    expect(await fetchFeed(deps, busy.id)).toMatchObject({ kind: 'failed', code: 'rate_limited' });
    expect(await fetchFeed(deps, down.id)).toMatchObject({ kind: 'failed', code: 'rate_limited' });
    const busyDelay = (await feedRow(busy.id)).nextFetchAt.getTime() - before;
    expect(busyDelay).toBeGreaterThanOrEqual(3_600_000);
    expect(busyDelay).toBeLessThanOrEqual(3_600_000 + SLACK);
    const downDelay = (await feedRow(down.id)).nextFetchAt.getTime() - before;
    expect(downDelay).toBeGreaterThanOrEqual(bounds.maxMs - SLACK);
    expect(downDelay).toBeLessThanOrEqual(bounds.maxMs + SLACK);
  });

  it('moves the stored URL on a 301 only once the new address serves a valid feed', async () => {
    routes.set('/old.xml', (_req, res) => res.writeHead(301, { location: '/new.xml' }).end());
    routes.set('/new.xml', xml(FEED));
    routes.set('/old-html.xml', (_req, res) => res.writeHead(301, { location: '/page.html' }).end());
    routes.set('/page.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML));
    routes.set('/old-404.xml', (_req, res) => res.writeHead(301, { location: '/missing.xml' }).end());

    const moved = await subscribe('/old.xml');
    expect((await fetchFeed(deps, moved.id)).kind).toBe('enqueued');
    expect((await feedRow(moved.id)).url).toBe(`${server.url}/new.xml`);

    const toHtml = await subscribe('/old-html.xml');
    expect(await fetchFeed(deps, toHtml.id)).toMatchObject({ kind: 'failed', code: 'not_a_feed' });
    expect((await feedRow(toHtml.id)).url).toBe(`${server.url}/old-html.xml`);

    const to404 = await subscribe('/old-404.xml');
    expect(await fetchFeed(deps, to404.id)).toMatchObject({ kind: 'failed', code: 'http_error' });
    expect(await feedRow(to404.id)).toMatchObject({ url: `${server.url}/old-404.xml`, lastStatus: 404 });
    expect(await jobCount()).toBe(1);
  });

  it('records an HTML page or malformed XML as a per-feed error without throwing', async () => {
    routes.set('/page.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HTML));
    routes.set('/broken.xml', xml('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>x</item>'));
    const page = await subscribe('/page.html');
    const broken = await subscribe('/broken.xml');
    expect(await fetchFeed(deps, page.id)).toMatchObject({ kind: 'failed', code: 'not_a_feed' });
    expect(await fetchFeed(deps, broken.id)).toMatchObject({ kind: 'failed', code: 'invalid_feed' });
    for (const [feed, code] of [[page, 'not_a_feed'], [broken, 'invalid_feed']] as const) {
      const row = await feedRow(feed.id);
      expect(row).toMatchObject({ lastErrorCode: code, errorCount: 1, enabled: true, bodyHash: null, etag: null });
      expect(row.lastError).toBeTruthy();
      expect(row.nextFetchAt.getTime()).toBeGreaterThan(Date.now());
    }
    expect(await jobCount()).toBe(0);
  });
});
