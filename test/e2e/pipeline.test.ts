import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, startServices, type RunningServices, type Runtime } from '@newsfold/cli';
import { loadConfig } from '@newsfold/config';
import { createLogger } from '@newsfold/logging';
import { countPendingArticles } from '@newsfold/db';
import { pendingJobs } from '@newsfold/queue';
import { ageChanges, createTestDatabase, createTestRedis, startLoopbackServer, type LoopbackServer, type TestDatabase, type TestRedis } from '@newsfold/testing';

/**
 * The whole pipeline as users run it: three outlets' feeds (RSS, Atom, JSON Feed) on a loopback
 * server, the three services in this process against real Postgres and Redis, feeds added through
 * the admin API, and the topic feeds read back in all three formats.
 */

const FILES: Record<string, { file: string; type: string }> = {
  '/alpha/top.xml': { file: 'alpha-top.rss.xml', type: 'application/rss+xml' },
  '/alpha/world.xml': { file: 'alpha-world.rss.xml', type: 'application/rss+xml' },
  '/beta/feed.atom': { file: 'beta.atom.xml', type: 'application/atom+xml' },
  '/gamma/feed.json': { file: 'gamma.feed.json', type: 'application/feed+json' },
};
const TOKEN = 'e2e-admin-token-0123456789';

interface StoriesPage {
  stories: { id: string; title: string; sourceCount: number; sources: { outlet: string; url: string | null; feedId: string }[] }[];
  nextCursor: string | null;
}

describe('pipeline end to end', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let outlets: LoopbackServer;
  let rt: Runtime;
  let services: RunningServices;
  let api: string;
  let fetchesServed = 0;

  async function admin(path: string, init: RequestInit = {}) {
    return fetch(`${api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });
  }

  async function settled(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await db.pool.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM feeds WHERE last_fetched_at IS NULL OR next_fetch_at <= now()`,
      );
      const pending = (await pendingJobs(rt.queues.fetch)) + (await pendingJobs(rt.queues.normalize)) + (await countPendingArticles(db.pool));
      if (rows[0]?.waiting === 0 && pending === 0) return;
      if (Date.now() > deadline) throw new Error(`pipeline did not settle: ${rows[0]?.waiting} feeds waiting, ${pending} jobs`);
      await sleep(100);
    }
  }

  async function counts() {
    const { rows } = await db.pool.query<{ articles: number; stories: number }>(
      'SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM stories) AS stories',
    );
    return rows[0];
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = createTestRedis();
    const bodies = new Map<string, { body: string; type: string }>();
    for (const [path, { file, type }] of Object.entries(FILES)) {
      bodies.set(path, { body: await readFile(new URL(`testdata/${file}`, import.meta.url), 'utf8'), type });
    }
    outlets = await startLoopbackServer((req, res) => {
      if (req.url === '/gamma/') {
        // Gamma's home page: subscribing to it must find the feed it links to.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end('<!doctype html><html><head><title>Gamma</title><link rel="alternate" type="application/feed+json" href="feed.json"></head><body>Gamma News</body></html>');
      }
      const entry = bodies.get(req.url ?? '');
      if (!entry) return void res.writeHead(404).end();
      fetchesServed += 1;
      // A build date that changes on every request: the body is new each time, its entries are not.
      res.writeHead(200, { 'content-type': entry.type }).end(entry.body.replace('{{now}}', new Date().toUTCString()));
    });
    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      ADMIN_TOKEN: TOKEN,
      FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://news.example.org',
      STARTER_FEEDS: 'false',
    });
    rt = openRuntime(config, createLogger({ level: 'silent' }));
    services = await startServices(rt, { api: true, poller: true, normalizer: true });
    api = services.api?.url ?? '';
  });

  afterAll(async () => {
    await services?.close();
    await rt?.close();
    await outlets?.close();
    await redis?.cleanup();
    await db?.drop();
  });

  it('subscribes through the admin API and refuses a duplicate', async () => {
    expect((await fetch(`${api}/api/v1/feeds`, { method: 'POST', body: '{}' })).status).toBe(401);
    for (const path of ['/alpha/top.xml', '/alpha/world.xml', '/beta/feed.atom', '/gamma/']) {
      const res = await admin('/api/v1/feeds', { method: 'POST', body: JSON.stringify({ url: `${outlets.url}${path}`, tags: ['world'] }) });
      expect(res.status, path).toBe(201);
      const feed = (await res.json()) as { url: string };
      // The home page was followed to the feed it advertises.
      expect(feed.url).toBe(`${outlets.url}${path === '/gamma/' ? '/gamma/feed.json' : path}`);
    }
    const notAFeed = await admin('/api/v1/feeds', { method: 'POST', body: JSON.stringify({ url: `${outlets.url}/nothing-here` }) });
    expect(notAFeed.status).toBe(422);
    const again = await admin('/api/v1/feeds', { method: 'POST', body: JSON.stringify({ url: `${outlets.url}/beta/feed.atom` }) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('already_subscribed');
    // The home page again: it leads to a feed already subscribed, which is the same duplicate.
    const viaPage = await admin('/api/v1/feeds', { method: 'POST', body: JSON.stringify({ url: `${outlets.url}/gamma/` }) });
    expect(viaPage.status).toBe(409);
    expect(await viaPage.json()).toMatchObject({ error: { code: 'already_subscribed' }, feed: { url: `${outlets.url}/gamma/feed.json` } });
  });

  it('fetches new feeds within seconds and folds shared articles into one story', async () => {
    const started = Date.now();
    await settled();
    expect(Date.now() - started).toBeLessThan(5_000);
    // Alpha's two feeds share one article; the storm headline is carried by all three outlets.
    expect(await counts()).toEqual({ articles: 6, stories: 4 });

    const page = (await (await fetch(`${api}/api/v1/stories?limit=50`)).json()) as StoriesPage;
    expect(page.stories).toHaveLength(4);
    const storm = page.stories.find((s) => s.title.startsWith('Storm Brennan'));
    expect(storm?.sourceCount).toBe(3);
    expect(storm?.sources.map((s) => s.outlet).sort()).toEqual(['Alpha Gazette', 'Beta Daily', 'Gamma News']);
    const urls = page.stories.flatMap((s) => s.sources.map((x) => x.url ?? ''));
    expect(urls).toContain('https://alpha.example/news/storm-brennan-ports');
    expect(urls).toContain('https://alpha.example/local/lido');
    for (const url of urls) expect(url).not.toMatch(/utm_|fbclid|gclid|#/);
  });

  it('serves the topic feed in all three formats, each story once', async () => {
    const parser = new Parser();
    for (const file of ['rss.xml', 'atom.xml']) {
      const res = await fetch(`${api}/topics/all/${file}`);
      expect(res.status).toBe(200);
      const feed = await parser.parseString(await res.text());
      expect(feed.items).toHaveLength(4);
      const ids = feed.items.map((i) => i.guid ?? i.id);
      expect(new Set(ids).size).toBe(4);
      for (const id of ids) expect(id).toMatch(/^urn:newsfold:story:\d+$/);
      const storm = feed.items.filter((i) => i.title?.startsWith('Storm Brennan'));
      expect(storm).toHaveLength(1);
      // RSS carries the coverage list in content:encoded, Atom in <content>.
      const html = (storm[0]?.['content:encoded'] as string | undefined) ?? storm[0]?.content;
      for (const outlet of ['Alpha Gazette', 'Beta Daily', 'Gamma News']) expect(html).toContain(outlet);
    }
    const res = await fetch(`${api}/topics/all/feed.json`);
    expect(res.headers.get('content-type')).toContain('application/feed+json');
    const json = (await res.json()) as {
      version: string;
      feed_url: string;
      items: { id: string; url: string; title: string; content_html: string; date_modified: string }[];
    };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe('https://news.example.org/topics/all/feed.json');
    expect(json.items).toHaveLength(4);
    for (const item of json.items) {
      expect(item.id).toMatch(/^urn:newsfold:story:\d+$/);
      expect(item.url).toMatch(/^https:\/\//);
      expect(Number.isNaN(Date.parse(item.date_modified))).toBe(false);
      expect(item.content_html).not.toContain('<script');
    }
    // Newest activity first.
    const times = json.items.map((i) => Date.parse(i.date_modified));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('answers a conditional GET with 304', async () => {
    // A date-only validator gets 304s once the Last-Modified is final, a few seconds after the
    // last change (lastModifiedFor): as if the pipeline had run a minute ago.
    await ageChanges(db.pool);
    // Their change notifications reach the API's listener (well under a millisecond here).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = await fetch(`${api}/topics/all/rss.xml`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const second = await fetch(`${api}/topics/all/rss.xml`, { headers: { 'if-none-match': etag ?? '' } });
    expect(second.status).toBe(304);
    const third = await fetch(`${api}/topics/all/rss.xml`, { headers: { 'if-modified-since': first.headers.get('last-modified') ?? '' } });
    expect(third.status).toBe(304);
  });

  it('pages through stories with a keyset cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${api}/api/v1/stories?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await fetch(url)).json()) as StoriesPage;
      seen.push(...page.stories.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    const bad = await fetch(`${api}/api/v1/stories?cursor=nonsense`);
    expect(bad.status).toBe(400);
  });

  it('adds nothing on a second poll', async () => {
    const before = await counts();
    const servedBefore = fetchesServed;
    const { feeds } = (await (await admin('/api/v1/feeds')).json()) as { feeds: { id: string }[] };
    for (const feed of feeds) expect((await admin(`/api/v1/feeds/${feed.id}/refresh`, { method: 'POST' })).status).toBe(202);
    await sleep(200);
    await settled();
    expect(fetchesServed - servedBefore).toBe(feeds.length);
    expect(await counts()).toEqual(before);
  });

  it('shows each feed’s fetch state', async () => {
    const { feeds } = (await (await admin('/api/v1/feeds')).json()) as {
      feeds: { title: string; state: { lastStatus: number; errorCount: number; lastSuccessAt: string } }[];
    };
    expect(feeds.map((f) => f.title).sort()).toEqual(['Alpha Gazette', 'Alpha Gazette — World', 'Beta Daily', 'Gamma News']);
    for (const f of feeds) expect(f.state).toMatchObject({ lastStatus: 200, errorCount: 0 });
  });
});
