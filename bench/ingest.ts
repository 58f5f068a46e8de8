import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { bcubed } from '@newsfold/clustering';
import { openRuntime, startServices } from '@newsfold/cli';
import { loadConfig } from '@newsfold/config';
import { createLogger } from '@newsfold/logging';
import { settleStories } from '@newsfold/stories';
import { seededRandom } from '@newsfold/testing';
import { titleKey } from '@newsfold/text';
import { stsHeadlines, stsPairs, uciHeadlines } from './corpora.js';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';

const HOUR = 3_600_000;
const TOKEN = 'bench-admin-token-0123456789';
/** Loopback addresses the outlets are spread over (Linux routes all of 127/8 to lo): feeds on many hosts, as in life. */
const HOSTS = 50;

interface Item {
  title: string;
  summary: string | null;
  url: string;
  at: Date;
  /** The story it tells (UCI label), or its own for a headline no other tells. */
  label: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Real headlines resampled across outlets: half are UCI headlines (999, labelled by story; an
 * outlet's summary is another outlet's headline of the same story when there is one), dated around
 * their story's hour; half are STS-B headlines (other events; two that STS-B scores 4 or more are
 * one event), dated at random over the last day.
 */
function corpusItems(feeds: number, perFeed: number, seed: number): Item[][] {
  const random = seededRandom(seed);
  const uci = uciHeadlines();
  const byStory = new Map<string, string[]>();
  for (const h of uci) byStory.set(h.story, [...(byStory.get(h.story) ?? []), h.title]);
  const storyHour = new Map([...byStory.keys()].map((s) => [s, Date.now() - (2 + random() * 20) * HOUR]));
  // STS-B pairs scored 4 or more tell one event (its labels): those sentences share a label.
  const pairs = stsPairs();
  const others = stsHeadlines();
  const parent = new Map(others.map((s) => [s, s]));
  const root = (s: string): string => {
    let r = s;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    return r;
  };
  for (const p of pairs) if (p.score >= 4) parent.set(root(p.a), root(p.b));
  return Array.from({ length: feeds }, (_, f) =>
    Array.from({ length: perFeed }, (_, i) => {
      const url = `https://outlet${f}.bench.invalid/news/${i}`;
      if (random() < 0.5) {
        const h = uci[Math.floor(random() * uci.length)] as (typeof uci)[number];
        const told = (byStory.get(h.story) ?? []).filter((t) => t !== h.title);
        const summary = told.length > 0 ? (told[Math.floor(random() * told.length)] as string) : null;
        const at = new Date((storyHour.get(h.story) ?? Date.now()) + (random() - 0.5) * 2 * HOUR);
        return { title: h.title, summary, url, at, label: `uci:${h.story}` };
      }
      const k = Math.floor(random() * others.length);
      const title = others[k] as string;
      return { title, summary: null, url, at: new Date(Date.now() - random() * 24 * HOUR), label: `sts:${root(title)}` };
    }),
  );
}

function rss(f: number, items: Item[]): string {
  const entries = items
    .map(
      (it) =>
        `<item><title>${escape(it.title)}</title><link>${it.url}</link><guid>${it.url}</guid><pubDate>${it.at.toUTCString()}</pubDate>` +
        (it.summary ? `<description>${escape(it.summary)}</description>` : '') +
        '</item>',
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${f}</title><link>https://outlet${f}.bench.invalid/</link>${entries}</channel></rss>`;
}

async function listen(handler: http.RequestListener, host: string, port = 0): Promise<http.Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

/**
 * `pnpm bench ingest [--feeds N] [--items M]`: N feeds × M items (default 1,000 × 50) of real
 * headlines served on loopback, subscribed with one OPML import into `newsfold all` (api, poller,
 * normalizer and the story assigner in this process, as `pnpm start` runs), timed until every item
 * is an article in a story; beside it, in the same run, the ceiling: the same article rows written
 * by a bare `unnest` insert into the same Postgres.
 */
export async function ingestBench(args: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const feedCount = arg('--feeds', 1_000);
  const perFeed = arg('--items', 50);
  const items = corpusItems(feedCount, perFeed, 42);
  const total = feedCount * perFeed;
  const bodies = items.map((list, f) => rss(f, list));
  const handler: http.RequestListener = (req, res) => {
    const f = Number(/^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? -1);
    const body = bodies[f];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  };
  const first = await listen(handler, '127.0.0.2');
  const { port } = first.address() as AddressInfo;
  const servers = [first, ...(await Promise.all(Array.from({ length: HOSTS - 1 }, (_, i) => listen(handler, `127.0.0.${i + 3}`, port))))];
  const feedUrl = (f: number) => `http://127.0.0.${(f % HOSTS) + 2}:${port}/feed/${f}.xml`;

  const db = await scratchDatabase();
  const ceilingDb = await scratchDatabase();
  const redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const log = createLogger({ level: 'silent' });
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    ADMIN_TOKEN: TOKEN,
    FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    PORT: '0',
    HOST: '127.0.0.1',
    STARTER_FEEDS: 'false',
  });
  const rt = openRuntime(config, log);
  const services = await startServices(rt, { api: true, poller: true, normalizer: true });
  const api = services.api?.url ?? '';
  const count = async () => {
    const { rows } = await db.pool.query<{ articles: number; placed: number }>(
      'SELECT count(*)::int AS articles, count(story_id)::int AS placed FROM articles',
    );
    return rows[0] ?? { articles: 0, placed: 0 };
  };
  let seconds = 0;
  let firstPlaced = 0;
  let importSeconds = 0;
  try {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>${items
      .map((_, f) => `<outline type="rss" text="Outlet ${f}" xmlUrl="${feedUrl(f)}"/>`)
      .join('')}</body></opml>`;
    process.stderr.write(`importing ${feedCount} feeds (${total.toLocaleString('en')} items)\n`);
    const started = performance.now();
    const res = await fetch(`${api}/api/v1/opml`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/x-opml' }, body: opml });
    if (!res.ok) throw new Error(`OPML import: ${res.status} ${await res.text()}`);
    importSeconds = (performance.now() - started) / 1000;
    let last = -1;
    const deadline = started + 30 * 60_000;
    for (;;) {
      const { articles, placed } = await count();
      if (placed > 0 && firstPlaced === 0) firstPlaced = (performance.now() - started) / 1000;
      if (placed >= total) break;
      if (performance.now() > deadline) throw new Error(`only ${placed} of ${total} placed after 30 minutes`);
      if (Math.floor(placed / 5_000) !== last) {
        last = Math.floor(placed / 5_000);
        process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${articles} stored, ${placed} placed\n`);
      }
      await sleep(100);
    }
    seconds = (performance.now() - started) / 1000;
    // Visible in the story API: the newest stories answer, and hold articles.
    const page = (await (await fetch(`${api}/api/v1/stories?limit=1`)).json()) as { stories: unknown[] };
    if (page.stories.length === 0) throw new Error('the story API shows no story');
  } finally {
    await services.close();
    await rt.close();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }

  const labelOf = new Map(items.flat().map((it) => [it.url, it.label]));
  const grouping = async () => {
    const { rows } = await db.pool.query<{ url: string; story: string }>('SELECT url, story_id::text AS story FROM articles');
    return bcubed(
      rows.map((r) => r.story),
      rows.map((r) => labelOf.get(r.url) ?? `?${r.url}`),
    );
  };
  const quality = await grouping();
  // What the settle pass changes of the grouping the assigner made as the items arrived.
  const settle = await settleStories(db.pool, { windowMs: config.storyWindowMs, spanMs: 24 * HOUR });
  const settled = await grouping();
  await db.drop();

  // The ceiling: the same rows, written as fast as Postgres takes them (one unnest insert per 5,000).
  const ceilingStarted = performance.now();
  const { rows: made } = await ceilingDb.pool.query<{ outlet: string; feed: string }>(
    `WITH o AS (INSERT INTO outlets (site_key, name) VALUES ('ceiling.invalid', 'Ceiling') RETURNING id)
     INSERT INTO feeds (url, outlet_id, title) SELECT 'https://ceiling.invalid/feed', id, 'Ceiling' FROM o RETURNING outlet_id::text AS outlet, id::text AS feed`,
  );
  const flat = items.flat();
  for (let i = 0; i < flat.length; i += 5_000) {
    const chunk = flat.slice(i, i + 5_000);
    await ceilingDb.pool.query(
      `INSERT INTO articles (feed_id, outlet_id, guid, url, title, title_key, summary, published_at, content_hash)
       SELECT $1, $2, u.url, u.url, u.title, u.key, u.summary, u.at, md5(u.title) FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) AS u(url, title, key, summary, at)`,
      [made[0]?.feed, made[0]?.outlet, chunk.map((c) => c.url), chunk.map((c) => c.title), chunk.map((c) => titleKey(c.title)), chunk.map((c) => c.summary), chunk.map((c) => c.at)],
    );
  }
  const ceiling = (performance.now() - ceilingStarted) / 1000;
  await ceilingDb.drop();

  console.log(`\nIngest: ${feedCount.toLocaleString('en')} feeds × ${perFeed} items of real headlines (UCI + STS-B) on ${HOSTS} loopback hosts, one OPML import, newsfold all in one process\n`);
  printTable(
    ['path', 'items', 'seconds', 'items/s'],
    [
      ['OPML import until every item is in a story', total, seconds.toFixed(1), Math.round(total / seconds)],
      ['ceiling: bare unnest insert of the same article rows', total, ceiling.toFixed(1), Math.round(total / ceiling)],
    ],
  );
  console.log(`\nOPML import answered in ${importSeconds.toFixed(1)} s; the first article was in a story after ${firstPlaced.toFixed(1)} s`);
  const score = (q: typeof quality) => `B-cubed precision ${q.precision.toFixed(3)}, recall ${q.recall.toFixed(3)}, F1 ${q.f1.toFixed(3)}`;
  console.log(`grouping against the corpus labels, as placed: ${score(quality)}`);
  console.log(
    `then the settle pass (last 24 h): ${settle.articles} articles in ${settle.seconds.toFixed(1)} s, ${settle.moved} moved ` +
      `(${((100 * settle.moved) / Math.max(1, settle.articles)).toFixed(1)}%), ${settle.newStories} new stories, ${settle.folded} folded; ${score(settled)}`,
  );
}
