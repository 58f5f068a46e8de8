import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { startApi, type ApiServer } from '@newsfold/api';
import { createPool, recomputeTopic, upsertTopic, type Pool, type PoolClient } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createMetrics } from '@newsfold/metrics';
import { createQueues, createRedis } from '@newsfold/queue';
import { prepareLoader } from './scale-data.js';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';

/**
 * `pnpm bench api`: the public read path under load. A scratch database holds STORIES stories
 * (~2.5 articles each, from 200 outlets whose feeds carry tags) and a tag-based topic `world`
 * whose membership (`topic_stories`) is computed as the API computes it. The real API
 * (`startApi`, with metrics, as `newsfold api` runs it) listens in THIS process beside a second,
 * bare Hono server answering `GET /bench/hello` — same process, same event loop, so the bare route
 * measures what Node, the HTTP stack and the load generator cost on this machine. The load comes
 * from a child process (autocannon, 50 connections, no pipelining): load generator, server and
 * Postgres share the machine's cores, so the targets are ratios against the bare route, measured in
 * the same run (twice: first and last, averaged, which also shows the drift).
 *
 * Targets (issue 5): 304 path ≥ 50% of the bare rate; 200 path ≥ 1,500 req/s; p99 ≤ 2× the bare p99.
 *
 * Each connection sends its next request as soon as it is answered (closed loop), so at saturation
 * latency is about connections ÷ throughput (Little's law): the p99 target restates the rate
 * target. `--connections 1` shows each path's unloaded latency (its service time) instead.
 *
 * Options: --stories N (100000), --duration S (10), --warmup S (2), --connections N (50),
 * --cpu-prof [DIR]: record a V8 CPU profile of the server process over each measured window
 * (written to DIR, default ./bench-api-profiles) and print what dominates. Profiling slows the
 * server, so a profiled run's numbers are for finding hot spots, not for the table.
 */

const HELLO_PATH = '/bench/hello';
const OUTLETS = 200;
const QUEUE_PREFIX = `newsfold-bench-api-${randomBytes(3).toString('hex')}`;

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

interface Options {
  stories: number;
  durationS: number;
  warmupS: number;
  connections: number;
  profileDir: string | null;
}

function parseOptions(args: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (at < 0) return undefined;
    const arg = args[at] ?? '';
    if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
    const next = args[at + 1];
    return next !== undefined && !next.startsWith('--') ? next : '';
  };
  const number = (name: string, fallback: number, min: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} needs a number ≥ ${min}`);
    return n;
  };
  const prof = value('--cpu-prof');
  return {
    stories: Math.round(number('--stories', 100_000, 1000)),
    durationS: number('--duration', 10, 1),
    warmupS: number('--warmup', 2, 0),
    connections: Math.round(number('--connections', 50, 1)),
    profileDir: prof === undefined ? null : resolve(prof || 'bench-api-profiles'),
  };
}

// ---------------------------------------------------------------------------------------------
// Data

/** Headline and summary words: plain lower-case English, so full-text search sees real tokens. */
const WORDS = `government minister talks ceasefire election court ruling market shares bank rates inflation storm
flood wildfire rescue police arrest protest strike union workers hospital vaccine study researchers climate summit
leaders trade tariffs deal border security military drone attack troops embassy sanctions oil prices energy grid
outage airline airport train rail strike school teachers university students budget tax reform parliament vote
senate congress president prime opposition party coalition campaign poll scandal investigation report data
technology startup chip factory jobs growth recession exports imports harbour bridge city council mayor housing
rents water drought harvest farmers food prices museum festival film music football cup final coach player record
season injury transfer satellite launch space agency telescope discovery ocean whales forest species heatwave
earthquake tremor volcano evacuation village mountain river coast island capital region province state federal
agency watchdog fine privacy platform social media network outage cyber hackers breach ransomware software update
phone maker battery electric cars charging factory steel coal gas pipeline nuclear plant reactor solar wind farm
turbines offshore licence auction investors fund pension retirement health care doctors nurses patients waiting
lists emergency services ambulance fire crews`.split(/\s+/);

const FEED_TAGS = ['{business,world}', '{world}', '{tech}', '{science,world}', '{sport}'];

async function fillDatabase(client: PoolClient, stories: number): Promise<void> {
  const timed = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${seconds(started)} s`);
  };
  await prepareLoader(client);
  // Ids are set explicitly: outlet n publishes feed n; articles are numbered in story order.
  await timed(
    'outlets',
    `INSERT INTO outlets (id, site_key, name, site_url) OVERRIDING SYSTEM VALUE
     SELECT g, 'outlet' || g || '.bench.invalid', 'Outlet ' || g || ' News', 'https://outlet' || g || '.bench.invalid/'
     FROM generate_series(1, $1::int) g`,
    [OUTLETS],
  );
  await timed(
    'feeds',
    `INSERT INTO feeds (id, url, outlet_id, title, site_url, tags) OVERRIDING SYSTEM VALUE
     SELECT g, 'https://outlet' || g || '.bench.invalid/feed.xml', g, 'Outlet ' || g || ' News', 'https://outlet' || g || '.bench.invalid/',
            ($2::text[])[1 + g % cardinality($2::text[])]::text[]
     FROM generate_series(1, $1::int) g`,
    [OUTLETS, FEED_TAGS],
  );
  // Story sizes 1 + floor(Exp(mean 2)), capped at 10: ≈ 2.5 articles a story. Stories start over the
  // last 30 days; each article comes within 6 hours of its story's first.
  await timed(
    'stories (staging)',
    `CREATE TEMP TABLE bench_story AS
     SELECT g AS id, least(10, 1 + floor(-ln(1 - random()) * 2))::int AS size,
            date_trunc('milliseconds', now() - interval '7 hours' - random() * interval '30 days') AS start_at
     FROM generate_series(1, $1::int) g`,
    [stories],
  );
  // `+ 0 * s.id` correlates the ARRAY subqueries, so words are drawn per row, not once.
  await timed(
    'articles (staging)',
    `CREATE TEMP TABLE bench_article AS
     SELECT id, story_id, nth, feed_id, event_at, title,
            'https://outlet' || feed_id || '.bench.invalid/news/' || id || '-' || left(replace(lower(title), ' ', '-'), 60) AS url,
            summary
     FROM (
       SELECT row_number() OVER (ORDER BY s.id, i) AS id, s.id AS story_id, i AS nth,
              1 + floor(random() * $1::int)::int AS feed_id,
              CASE WHEN i = 1 THEN s.start_at ELSE date_trunc('milliseconds', s.start_at + random() * interval '6 hours') END AS event_at,
              initcap(array_to_string(ARRAY(SELECT ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]
                                            FROM generate_series(1, 7 + (s.id % 5)::int + 0 * i)), ' ')) AS title,
              array_to_string(ARRAY(SELECT ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]
                                    FROM generate_series(1, 30 + 0 * i + 0 * s.id)), ' ') || '.' AS summary
       FROM bench_story s CROSS JOIN LATERAL generate_series(1, s.size) i) a`,
    [OUTLETS, WORDS],
  );
  // Derived fields as refreshStories computes them (lead = earliest article; updated_at = when
  // the last outlet joined; source_count = distinct outlets).
  await timed(
    'stories',
    `INSERT INTO stories (id, title, summary, lead_article_id, first_seen_at, updated_at, source_count, article_count,
                          last_event_at, revised_at, created_at) OVERRIDING SYSTEM VALUE
     SELECT agg.story_id, lead.title, left(lead.summary, 600), lead.id, agg.first_seen, joined.updated, agg.outlets, agg.articles,
            agg.last_at, joined.updated, agg.first_seen
     FROM (SELECT story_id, min(event_at) AS first_seen, max(event_at) AS last_at, count(*)::int AS articles,
                  count(DISTINCT feed_id)::int AS outlets
           FROM bench_article GROUP BY story_id) agg
     JOIN (SELECT story_id, max(joined_at) AS updated
           FROM (SELECT story_id, feed_id, min(event_at) AS joined_at FROM bench_article GROUP BY story_id, feed_id) o
           GROUP BY story_id) joined USING (story_id)
     JOIN (SELECT DISTINCT ON (story_id) story_id, id, title, summary FROM bench_article ORDER BY story_id, event_at, id) lead USING (story_id)
     ORDER BY agg.story_id`,
  );
  await timed(
    'articles',
    `INSERT INTO articles (id, feed_id, outlet_id, guid, url, title, title_key, summary, published_at, first_seen_at, content_hash,
                           story_id, match_score, match_reason, language) OVERRIDING SYSTEM VALUE
     SELECT id, feed_id, feed_id, 'urn:bench:' || id, url, title, lower(title), summary, event_at, event_at, md5(title || summary),
            story_id, CASE WHEN nth = 1 THEN 1 ELSE 0.8 END, CASE WHEN nth = 1 THEN 'new story' ELSE 'similar title' END, 'en'
     FROM bench_article ORDER BY id`,
  );
  for (const table of ['outlets', 'feeds', 'stories', 'articles']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  await client.query('DROP TABLE bench_story, bench_article');
  await client.query('RESET session_replication_role');
}

export async function prepareData(pool: Pool, stories: number): Promise<{ stories: number; articles: number; world: number }> {
  const started = performance.now();
  log(`filling ${stories.toLocaleString('en')} stories…`);
  const client = await pool.connect();
  try {
    await fillDatabase(client, stories);
  } finally {
    client.release();
  }
  // The topic, and its membership computed the way the API's background recompute does it.
  await upsertTopic(pool, { slug: 'world', title: 'World news', description: 'Stories from feeds tagged world', tags: ['world'] });
  const recomputing = performance.now();
  if (!(await recomputeTopic(pool, 'world'))) throw new Error('topic world vanished');
  log(`  topic world membership: ${seconds(recomputing)} s`);
  const vacuuming = performance.now();
  await pool.query('VACUUM (ANALYZE) outlets, feeds, articles, stories, topics, topic_stories');
  await pool.query('CHECKPOINT');
  log(`  vacuum analyze + checkpoint: ${seconds(vacuuming)} s`);
  const { rows } = await pool.query<{ stories: number; articles: number; world: number }>(
    `SELECT (SELECT count(*)::int FROM stories) AS stories, (SELECT count(*)::int FROM articles) AS articles,
            (SELECT count(*)::int FROM topic_stories WHERE topic = 'world') AS world`,
  );
  const counts = rows[0];
  if (!counts) throw new Error('no counts');
  log(`data ready in ${seconds(started)} s: ${counts.stories} stories, ${counts.articles} articles, ${counts.world} in topic world`);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Load generator (child process)

/**
 * A query parameter set to a random instant in [fromMs, toMs) (whole seconds) on every request,
 * so that each request asks for something no earlier request asked: the uncached path.
 */
interface Vary {
  param: string;
  fromMs: number;
  toMs: number;
}

interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  vary?: Vary;
  connections: number;
  warmupS: number;
  durationS: number;
}

interface LoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  mean: number;
  bytes: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** The load generator's own CPU time over the measured window, µs (user + system). */
  cpuUs: number;
}

/** The part of autocannon 7's programmatic API used here (it ships no types). */
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  path: string;
}
type Autocannon = (
  options: {
    url: string;
    headers: Record<string, string>;
    connections: number;
    pipelining: number;
    duration: number;
    timeout: number;
    requests?: { setupRequest: (req: AutocannonRequest) => AutocannonRequest }[];
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

/** Runs one scenario: a warm-up (discarded), then the measured window, timing every response itself (sub-millisecond, 304s included). */
async function runLoad(autocannon: Autocannon, req: LoadRequest): Promise<LoadResult> {
  const once = (duration: number, record: boolean) =>
    new Promise<{ result: AutocannonResult; latencies: Float64Array; count: number; bytes: number; statuses: Record<string, number>; seconds: number }>(
      (resolvePromise, reject) => {
        let latencies = new Float64Array(1 << 16);
        let count = 0;
        let bytes = 0;
        const statuses: Record<string, number> = {};
        const started = performance.now();
        const vary = req.vary;
        const requests = vary
          ? [
              {
                setupRequest: (r: AutocannonRequest) => {
                  const at = vary.fromMs + Math.floor((Math.random() * (vary.toMs - vary.fromMs)) / 1000) * 1000;
                  const path = new URL(r.path, 'http://x');
                  path.searchParams.set(vary.param, new Date(at).toISOString());
                  return { ...r, path: `${path.pathname}${path.search}` };
                },
              },
            ]
          : undefined;
        const instance = autocannon(
          { url: req.url, headers: req.headers, connections: req.connections, pipelining: 1, duration, timeout: 10, ...(requests ? { requests } : {}) },
          (error, result) => {
            if (error) reject(error);
            else resolvePromise({ result, latencies, count, bytes, statuses, seconds: (performance.now() - started) / 1000 });
          },
        );
        if (record) {
          instance.on('response', (_client, statusCode, resBytes, responseTime) => {
            if (count === latencies.length) {
              const grown = new Float64Array(latencies.length * 2);
              grown.set(latencies);
              latencies = grown;
            }
            latencies[count++] = responseTime;
            bytes += resBytes;
            statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
          });
        }
      },
    );
  if (req.warmupS > 0) await once(req.warmupS, false);
  const cpu = process.cpuUsage();
  const run = await once(req.durationS, true);
  const cpuUsed = process.cpuUsage(cpu);
  const sorted = run.latencies.subarray(0, run.count).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    requests: run.count,
    seconds: run.seconds,
    p50: at(0.5),
    p99: at(0.99),
    mean: run.count > 0 ? sum / run.count : NaN,
    bytes: run.bytes,
    statuses: run.statuses,
    errors: run.result.errors,
    timeouts: run.result.timeouts,
    cpuUs: cpuUsed.user + cpuUsed.system,
  };
}

/**
 * CPU time used so far by each Postgres process on this machine (backends, writers), µs by pid,
 * from /proc (Linux; USER_HZ is 100 on every mainstream architecture); null elsewhere. A server on
 * another machine shows as 0.
 */
function postgresCpuUs(): Map<string, number> | null {
  try {
    const byPid = new Map<string, number>();
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of the line: 12 and 13 after "pid (comm) ".
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10_000);
    }
    return byPid;
  } catch {
    return null;
  }
}

/** CPU the Postgres processes used between two samples (a process that exited meanwhile is not counted). */
function postgresCpuSince(before: Map<string, number> | null): number | null {
  const after = postgresCpuUs();
  if (before === null || after === null) return null;
  let used = 0;
  for (const [pid, us] of after) used += us - (before.get(pid) ?? 0);
  return used;
}

/** The child's side: run each scenario the parent sends, answer with its result. */
async function loadChild(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  process.on('message', (message: { id: number; request: LoadRequest } | { exit: true }) => {
    if ('exit' in message) {
      process.disconnect?.();
      return;
    }
    runLoad(autocannon, message.request).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
    );
  });
  process.send?.({ ready: true });
}

class LoadGenerator {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id: number; result?: LoadResult; error?: string }) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.result) waiter.resolve(message.result);
      else waiter.reject(new Error(`load generator: ${message.error ?? 'no result'}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
      this.pending.clear();
    });
  }

  static async start(): Promise<LoadGenerator> {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    // Same loader flags (tsx, source conditions) as this process, without its profiling flags.
    const child = fork(main, ['api', '--load-child'], { execArgv: process.execArgv.filter((a) => !a.startsWith('--cpu-prof')) });
    await new Promise<void>((resolvePromise, reject) => {
      child.once('message', () => resolvePromise());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`load generator exited before starting (${code})`)));
    });
    return new LoadGenerator(child);
  }

  run(request: LoadRequest): Promise<LoadResult> {
    const id = ++this.next;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      this.child.send({ id, request });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ exit: true });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profiles of the server side

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where a function lives: a package under node_modules, a workspace package, or a Node/V8 category. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(REPO_ROOT)) return path.slice(REPO_ROOT.length).split('/').slice(0, 2).join('/');
  return path;
}

function summariseProfile(name: string, profile: CpuProfile): void {
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const module = moduleOf(url, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + hits);
    const fn = `${functionName || '(anonymous)'} ${url ? `${module}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, hits]) => [k, `${((hits / totalHits) * 100).toFixed(1)}%`]);
  console.log(`\nserver CPU profile, ${name} (self time; ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s):`);
  printTable(['where', 'self'], top(byModule, 14));
  printTable(['function', 'self'], top(byFunction, 16));
}

// ---------------------------------------------------------------------------------------------
// The run

interface Scenario {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** The one status every response must have. */
  status: number;
  bare?: boolean;
  target?: 'feed200' | 'feed304' | 'stories';
  vary?: Vary;
}

async function listenBare(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get(HELLO_PATH, (c) => c.text('hello'));
  const server = await new Promise<ServerType>((resolvePromise, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolvePromise(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A request before the load: the scenario answers as expected (and the ETag the 304 path needs). */
async function probe(url: string, headers: Record<string, string>, status: number): Promise<Response> {
  const res = await fetch(url, { headers });
  if (res.status !== status) throw new Error(`${url}: expected ${status}, got ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

export async function apiBench(args: string[]): Promise<void> {
  if (args.includes('--load-child')) return loadChild();
  const options = parseOptions(args);
  log(`pnpm bench api: ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const db = await scratchDatabase();
  const closers: (() => Promise<void>)[] = [];
  try {
    const counts = await prepareData(db.pool, options.stories);

    // The API as `newsfold api` composes it: its own pool (as the runtime sizes it), queues and
    // metrics on Redis under a throwaway prefix, a silent logger.
    const pool = createPool(db.url, { max: 20, applicationName: 'newsfold-bench-api' });
    closers.unshift(() => pool.end());
    const redis = createRedis(redisUrl);
    closers.unshift(async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    });
    const queues = createQueues(redis, QUEUE_PREFIX);
    closers.unshift(() => queues.close());
    const metrics = createMetrics(redis, QUEUE_PREFIX);
    closers.unshift(() => metrics.close());
    const api: ApiServer = await startApi(
      {
        config: { publicUrl: 'https://news.bench.invalid', adminToken: undefined, poll: { minIntervalMs: 300_000, maxIntervalMs: 86_400_000 } },
        pool,
        queues,
        redis,
        log: createLogger({ level: 'silent' }),
        metrics,
      },
      { port: 0, host: '127.0.0.1' },
    );
    closers.unshift(() => api.close());
    const bare = await listenBare();
    closers.unshift(() => bare.close());

    const feedUrl = `${api.url}/topics/world/rss.xml?limit=50`;
    const storiesUrl = `${api.url}/api/v1/stories?topic=world&limit=50`;
    const first = await probe(feedUrl, {}, 200);
    const etag = first.headers.get('etag');
    if (!etag) throw new Error('the topic feed sent no ETag');
    const feedBody = await first.text();
    const items = feedBody.split('<item>').length - 1;
    await probe(feedUrl, { 'if-none-match': etag }, 304);
    const page = (await (await probe(storiesUrl, {}, 200)).json()) as { stories: unknown[] };
    log(`topic feed: ${items} items, ${(feedBody.length / 1024).toFixed(1)} KB; stories page: ${page.stories.length} stories`);
    if (items !== 50 || page.stories.length !== 50) throw new Error('expected 50 stories in the feed and the page');

    const { rows: spanRows } = await pool.query<{ fromMs: string; toMs: string }>(
      `SELECT (extract(epoch FROM min(updated_at)) * 1000)::bigint::text AS "fromMs", (extract(epoch FROM max(updated_at)) * 1000)::bigint::text AS "toMs"
       FROM topic_stories WHERE topic = 'world'`,
    );
    // The newest quarter of the topic: pages of recent news, as readers ask for them.
    const newest = Number(spanRows[0]?.toMs ?? 0);
    const span = { fromMs: newest - (newest - Number(spanRows[0]?.fromMs ?? 0)) / 4, toMs: newest };

    const scenarios: Scenario[] = [
      { name: 'bare Hono hello', url: `${bare.url}${HELLO_PATH}`, status: 200, bare: true },
      { name: 'topic feed rss (200)', url: feedUrl, status: 200, target: 'feed200' },
      // As feed readers ask for it: nearly all send Accept-Encoding: gzip.
      { name: 'topic feed rss (200, gzip)', url: feedUrl, headers: { 'accept-encoding': 'gzip' }, status: 200, target: 'feed200' },
      { name: 'topic feed rss (304)', url: feedUrl, headers: { 'if-none-match': etag }, status: 304, target: 'feed304' },
      { name: 'GET /api/v1/stories?topic=', url: storiesUrl, status: 200, target: 'stories' },
      // Each request a page no one asked for before (a random `until`): no cached body to serve.
      { name: 'GET /api/v1/stories?topic=&until=random', url: storiesUrl, status: 200, vary: { param: 'until', ...span } },
      { name: 'bare Hono hello (again)', url: `${bare.url}${HELLO_PATH}`, status: 200, bare: true },
    ];

    const load = await LoadGenerator.start();
    closers.unshift(() => load.stop());
    const session = options.profileDir ? new Session() : null;
    if (session && options.profileDir) {
      mkdirSync(options.profileDir, { recursive: true });
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
    }
    const results: { scenario: Scenario; result: LoadResult; serverCpuUs: number; pgCpuUs: number | null }[] = [];
    const profiles: { name: string; profile: CpuProfile }[] = [];
    for (const scenario of scenarios) {
      log(`${scenario.name}: ${options.warmupS} s warm-up, ${options.durationS} s at ${options.connections} connections…`);
      const request: LoadRequest = {
        url: scenario.url,
        headers: scenario.headers ?? {},
        ...(scenario.vary ? { vary: scenario.vary } : {}),
        connections: options.connections,
        warmupS: options.warmupS,
        durationS: options.durationS,
      };
      // A profile covers the measured window only.
      let result: LoadResult;
      let serverCpu: NodeJS.CpuUsage;
      let pgCpu: number | null;
      if (session) {
        if (options.warmupS > 0) await load.run({ ...request, durationS: options.warmupS, warmupS: 0 });
        await session.post('Profiler.start');
        const cpu = process.cpuUsage();
        const pg0 = postgresCpuUs();
        result = await load.run({ ...request, warmupS: 0 });
        serverCpu = process.cpuUsage(cpu);
        pgCpu = postgresCpuSince(pg0);
        const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
        profiles.push({ name: scenario.name, profile });
        if (options.profileDir) {
          writeFileSync(join(options.profileDir, `${scenario.name.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}.cpuprofile`), JSON.stringify(profile));
        }
      } else {
        if (options.warmupS > 0) await load.run({ ...request, durationS: options.warmupS, warmupS: 0 });
        const cpu = process.cpuUsage();
        const pg0 = postgresCpuUs();
        result = await load.run({ ...request, warmupS: 0 });
        serverCpu = process.cpuUsage(cpu);
        pgCpu = postgresCpuSince(pg0);
      }
      const unexpected = Object.entries(result.statuses).filter(([s]) => Number(s) !== scenario.status);
      if (unexpected.length > 0 || result.errors > 0 || result.timeouts > 0) {
        throw new Error(
          `${scenario.name}: unexpected answers ${JSON.stringify(Object.fromEntries(unexpected))}, ${result.errors} errors, ${result.timeouts} timeouts`,
        );
      }
      results.push({ scenario, result, serverCpuUs: serverCpu.user + serverCpu.system, pgCpuUs: pgCpu });
    }
    session?.disconnect();

    const bares = results.filter((r) => r.scenario.bare).map((r) => r.result);
    const bareRate = bares.reduce((n, r) => n + r.requests / r.seconds, 0) / bares.length;
    const bareP99 = bares.reduce((n, r) => n + r.p99, 0) / bares.length;
    const rateOf = (r: LoadResult) => r.requests / r.seconds;
    const verdicts: string[] = [];
    const rows = results.map(({ scenario, result, serverCpuUs, pgCpuUs }) => {
      const rate = rateOf(result);
      const perRequest = (us: number) => String(Math.round(us / Math.max(1, result.requests)));
      const checks: string[] = [];
      if (scenario.target) {
        const p99ok = result.p99 <= 2 * bareP99;
        checks.push(`p99 ≤ 2× bare: ${p99ok ? 'met' : 'NOT met'}`);
        verdicts.push(`${scenario.name}: p99 ${result.p99.toFixed(2)} ms ≤ 2 × ${bareP99.toFixed(2)} ms — ${p99ok ? 'met' : 'NOT met'}`);
      }
      if (scenario.target === 'feed200') {
        const ok = rate >= 1500;
        checks.unshift(`≥ 1,500 req/s: ${ok ? 'met' : 'NOT met'}`);
        verdicts.push(`${scenario.name}: ${Math.round(rate)} req/s ≥ 1,500 — ${ok ? 'met' : 'NOT met'}`);
      }
      if (scenario.target === 'feed304') {
        const ok = rate >= 0.5 * bareRate;
        checks.unshift(`≥ 50% bare: ${ok ? 'met' : 'NOT met'}`);
        verdicts.push(`${scenario.name}: ${((rate / bareRate) * 100).toFixed(0)}% of the bare rate ≥ 50% — ${ok ? 'met' : 'NOT met'}`);
      }
      return [
        scenario.name,
        Math.round(rate),
        result.p50.toFixed(2),
        result.p99.toFixed(2),
        (rate / bareRate).toFixed(2),
        (result.p99 / bareP99).toFixed(2),
        `${(result.bytes / Math.max(1, result.requests) / 1024).toFixed(1)}`,
        perRequest(serverCpuUs),
        pgCpuUs === null ? 'n/a' : perRequest(pgCpuUs),
        perRequest(result.cpuUs),
        checks.join('; ') || (scenario.bare ? 'baseline' : ''),
      ];
    });
    console.log(
      `\npnpm bench api: ${counts.stories.toLocaleString('en')} stories (${counts.articles.toLocaleString('en')} articles; ` +
        `${counts.world.toLocaleString('en')} in topic world), ${options.connections} connections, ${options.warmupS} s warm-up + ` +
        `${options.durationS} s each; load generator (autocannon 7.9.0) in a child process, server in this one; ` +
        `${availableParallelism()} cores shared with Postgres. Ratios against the mean of the two bare runs ` +
        `(${Math.round(bareRate)} req/s, p99 ${bareP99.toFixed(2)} ms).${session ? ' PROFILED: numbers skewed by the profiler.' : ''}\n`,
    );
    printTable(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'rate ÷ bare', 'p99 ÷ bare p99', 'KB/resp', 'CPU µs/req: server', 'postgres', 'load gen', 'targets'], rows);
    console.log(`\ntargets:\n${verdicts.map((v) => `  ${v}`).join('\n')}`);
    for (const { name, profile } of profiles) summariseProfile(name, profile);
    if (options.profileDir) console.log(`\nprofiles written to ${options.profileDir} (open in Chrome DevTools or speedscope)`);
  } finally {
    for (const close of closers) await close().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    await db.drop();
  }
}
