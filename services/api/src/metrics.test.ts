import { gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed } from '@newsfold/db';
import { createMetrics, type Metrics } from '@newsfold/metrics';
import { normalizeBatch } from '@newsfold/normalizer';
import { StoryEngine } from '@newsfold/stories';
import { fetchFeed, type FetchFeedDeps } from '@newsfold/poller';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { createApp } from './app.js';
import { ADMIN_TOKEN, createHarness, type Harness } from './testdata/harness.js';

const SAMPLE = /^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/;

function samplesOf(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(SAMPLE);
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toUTCString();
const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Metrics Gazette</title><link>https://gazette.example/</link>
<item><title>Harbour bridge reopens after storm repairs</title><link>https://gazette.example/a</link><guid>a</guid><pubDate>${hoursAgo(1)}</pubDate></item>
<item><title>Central bank holds interest rates at four percent</title><link>https://gazette.example/b</link><guid>b</guid><pubDate>${hoursAgo(2)}</pubDate></item>
</channel></rss>`;

describe('/metrics through the app', () => {
  let h: Harness;
  let app: Hono;
  let server: LoopbackServer;
  let apiMetrics: Metrics;
  let workerMetrics: Metrics;

  beforeAll(async () => {
    h = await createHarness();
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/feed.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
      else if (req.url === '/broken.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>x</channel>');
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    // The API and the workers are different processes in production: separate recorders, one Redis.
    apiMetrics = createMetrics(h.connection, h.redis.prefix);
    workerMetrics = createMetrics(h.connection, h.redis.prefix);
    h.deps.metrics = apiMetrics;
    app = createApp(h.deps);
  });
  afterAll(async () => {
    await apiMetrics?.close();
    await workerMetrics?.close();
    await server?.close();
    await h?.close();
  });

  it('counts fetches by outcome, errors by code, articles and stories created, queue depths, feeds and latency', async () => {
    const fetchDeps: FetchFeedDeps = {
      pool: h.db.pool,
      normalizeQueue: h.queues.normalize,
      log: h.deps.log,
      fetch: { timeoutMs: 2_000, maxBytes: 1_000_000, maxRedirects: 3, allowPrivateNetworks: true, userAgent: 'newsfold/test' },
      bounds: { minMs: 300_000, maxMs: 86_400_000 },
      metrics: workerMetrics,
    };
    const good = (await insertFeed(h.db.pool, { url: `${server.url}/feed.xml` })).feed;
    const missing = (await insertFeed(h.db.pool, { url: `${server.url}/missing.xml` })).feed;
    const broken = (await insertFeed(h.db.pool, { url: `${server.url}/broken.xml` })).feed;

    const outcome = await fetchFeed(fetchDeps, good.id);
    expect(outcome.kind).toBe('enqueued');
    expect(await fetchFeed(fetchDeps, missing.id)).toMatchObject({ kind: 'failed', code: 'http_error', stage: 'fetch' });
    expect(await fetchFeed(fetchDeps, broken.id)).toMatchObject({ kind: 'failed', code: 'invalid_feed', stage: 'parse' });
    expect(await fetchFeed(fetchDeps, '999999')).toMatchObject({ kind: 'skipped' });

    const [job] = await h.queues.normalize.getJobs(['prioritized', 'waiting']);
    if (!job) throw new Error('no normalize job');
    const result = await normalizeBatch({ pool: h.db.pool, log: h.deps.log, metrics: workerMetrics }, job.data.batchId);
    if (!result) throw new Error('the batch was gone');
    expect(result.created).toBe(2);
    // One batch, as the assigner places it: the postings of what it placed are left for later.
    const placed = await new StoryEngine(h.db.pool, { windowMs: 72 * 3_600_000 }).placeBatch();
    workerMetrics.recordPlacement(placed);
    await workerMetrics.flush();

    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request(`/api/v1/feeds/${good.id}`)).status).toBe(401);
    expect((await app.request(`/api/v1/feeds/${good.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    expect((await app.request('/no/such/page')).status).toBe(404);

    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const s = samplesOf(text);

    expect(s.get('newsfold_fetches_total{outcome="enqueued"}')).toBe(1);
    expect(s.get('newsfold_fetches_total{outcome="failed"}')).toBe(2);
    expect(s.get('newsfold_fetches_total{outcome="skipped"}')).toBe(1);
    expect(s.get('newsfold_fetches_total{outcome="unchanged"}')).toBe(0);
    expect(s.get('newsfold_fetch_errors_total{code="http_error"}')).toBe(1);
    expect(s.get('newsfold_parse_errors_total{code="invalid_feed"}')).toBe(1);
    expect(s.get('newsfold_articles_created_total')).toBe(2);
    expect(s.get('newsfold_articles_placed_total')).toBe(2);
    expect(s.get('newsfold_stories_created_total')).toBe(placed.newStories);
    expect(placed.newStories).toBeGreaterThanOrEqual(1);
    expect(s.get('newsfold_story_batch_seconds_count')).toBe(1);
    expect(s.get('newsfold_story_batch_seconds_bucket{le="+Inf"}')).toBe(1);

    // Scrape-time gauges.
    // Normalize jobs carry their chunk's priority; the entries wait in Postgres meanwhile.
    expect(s.get('newsfold_queue_jobs{queue="normalize",state="prioritized"}')).toBe(1);
    expect(s.get('newsfold_entry_batches{state="waiting"}')).toBe(0);
    expect(s.get('newsfold_articles_pending')).toBe(0);
    expect(s.get('newsfold_articles_unposted')).toBe(2);
    expect(s.get('newsfold_queue_jobs{queue="fetch",state="active"}')).toBe(0);
    expect(s.get('newsfold_feeds{state="enabled"}')).toBe(1);
    expect(s.get('newsfold_feeds{state="erroring"}')).toBe(2);
    expect(s.get('newsfold_feeds{state="disabled"}')).toBe(0);
    expect(s.get('newsfold_articles')).toBe(2);
    expect(s.get('newsfold_stories')).toBeGreaterThanOrEqual(1);

    // Request latency by matched route pattern, never the raw URL.
    const latency = 'newsfold_http_request_duration_seconds_count';
    expect(s.get(`${latency}{method="GET",route="/healthz",status="200"}`)).toBe(1);
    expect(s.get(`${latency}{method="GET",route="/api/v1/feeds/:id",status="401"}`)).toBe(1);
    expect(s.get(`${latency}{method="GET",route="/api/v1/feeds/:id",status="200"}`)).toBe(1);
    expect(s.get(`${latency}{method="GET",route="unmatched",status="404"}`)).toBe(1);
    expect(text).not.toContain(`/api/v1/feeds/${good.id}`);
    expect(text).not.toContain('/no/such/page');
  });

  it('is public and counts its own scrapes on the next one', async () => {
    const first = await app.request('/metrics');
    expect(first.status).toBe(200);
    const t = await (await app.request('/metrics')).text();
    const s = samplesOf(t);
    expect(s.get('newsfold_http_request_duration_seconds_count{method="GET",route="/metrics",status="200"}')).toBeGreaterThanOrEqual(2);
  });

  it('is gzip-compressed for a scraper that accepts it, as Prometheus does', async () => {
    const packed = await app.request('/metrics', { headers: { 'accept-encoding': 'gzip' } });
    expect(packed.headers.get('content-encoding')).toBe('gzip');
    const text = gunzipSync(new Uint8Array(await packed.arrayBuffer())).toString();
    expect(samplesOf(text).has('newsfold_articles_created_total')).toBe(true);
  });
});
