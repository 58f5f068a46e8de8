import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, startTcpProxy, type TestRedis } from '@newsfold/testing';
import { createMetrics } from './newsfold-metrics.js';
import { queueGauges } from './queue-gauges.js';
import { MetricsRegistry } from './registry.js';
import { renderPrometheus } from './render.js';

const SAMPLE = /^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/;

/** Asserts every line is HELP, TYPE or a sample, and returns the samples as `name{labels}` → value. */
function parseExposition(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const samples = new Map<string, number>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(SAMPLE);
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

describe('MetricsRegistry against real Redis', () => {
  let testRedis: TestRedis;
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    testRedis = createTestRedis();
    a = new Redis(testRedis.url);
    b = new Redis(testRedis.url);
  });
  afterAll(async () => {
    await testRedis.cleanup();
    a.disconnect();
    b.disconnect();
  });

  it('adds up counts from two registries (two replicas) on different connections', async () => {
    const prefix = `${testRedis.prefix}:sum`;
    const one = createMetrics(a, prefix);
    const two = createMetrics(b, prefix);
    one.recordFetch({ kind: 'enqueued' });
    one.recordFetch({ kind: 'enqueued' });
    two.recordFetch({ kind: 'enqueued' });
    two.recordFetch({ kind: 'failed', code: 'timeout', stage: 'fetch' });
    one.recordFetch({ kind: 'failed', code: 'invalid_feed', stage: 'parse' });
    one.recordNormalize({ created: 3 });
    two.recordNormalize({ created: 4 });
    one.recordPlacement({ placed: 7, newStories: 1, seconds: 0.02 });
    two.recordPlacement({ placed: 0, newStories: 0, seconds: 0.01 });
    await Promise.all([one.close(), two.close()]);

    const samples = parseExposition(await createMetrics(a, prefix).render());
    expect(samples.get('newsfold_fetches_total{outcome="enqueued"}')).toBe(3);
    expect(samples.get('newsfold_fetches_total{outcome="failed"}')).toBe(2);
    expect(samples.get('newsfold_fetches_total{outcome="not-modified"}')).toBe(0);
    expect(samples.get('newsfold_fetch_errors_total{code="timeout"}')).toBe(1);
    expect(samples.get('newsfold_parse_errors_total{code="invalid_feed"}')).toBe(1);
    expect(samples.get('newsfold_articles_created_total')).toBe(7);
    expect(samples.get('newsfold_stories_created_total')).toBe(1);
    expect(samples.get('newsfold_articles_placed_total')).toBe(7);
    expect(samples.get('newsfold_story_batch_seconds_count')).toBe(2);
    // A histogram nothing observed yet is still a valid, empty series.
    const fresh = parseExposition(await createMetrics(a, `${prefix}-fresh`).render());
    expect(fresh.get('newsfold_story_batch_seconds_count')).toBe(0);
  });

  it('renders cumulative histogram buckets with sum and count, per label set', async () => {
    const prefix = `${testRedis.prefix}:hist`;
    const one = new MetricsRegistry(a, prefix);
    const two = new MetricsRegistry(b, prefix);
    const h1 = one.histogram('test_latency_seconds', 'Test latency.', [0.1, 0.5, 1], ['route']);
    const h2 = two.histogram('test_latency_seconds', 'Test latency.', [0.1, 0.5, 1], ['route']);
    h1.observe({ route: '/a' }, 0.05);
    h1.observe({ route: '/a' }, 0.1); // on a bound: counts in that bucket (le = less or equal)
    h2.observe({ route: '/a' }, 0.3);
    h2.observe({ route: '/a' }, 7);
    h1.observe({ route: '/b "quoted"\\' }, 0.7);
    h1.observe({ route: '/a' }, Number.NaN); // ignored
    await Promise.all([one.flush(), two.flush()]);

    const text = await renderPrometheus(a, prefix, one.definitions);
    expect(text).toContain('# HELP test_latency_seconds Test latency.\n# TYPE test_latency_seconds histogram\n');
    const samples = parseExposition(text);
    expect(samples.get('test_latency_seconds_bucket{route="/a",le="0.1"}')).toBe(2);
    expect(samples.get('test_latency_seconds_bucket{route="/a",le="0.5"}')).toBe(3);
    expect(samples.get('test_latency_seconds_bucket{route="/a",le="1"}')).toBe(3);
    expect(samples.get('test_latency_seconds_bucket{route="/a",le="+Inf"}')).toBe(4);
    expect(samples.get('test_latency_seconds_count{route="/a"}')).toBe(4);
    expect(samples.get('test_latency_seconds_sum{route="/a"}')).toBeCloseTo(7.45, 9);
    expect(samples.get('test_latency_seconds_bucket{route="/b \\"quoted\\"\\\\",le="0.5"}')).toBe(0);
    expect(samples.get('test_latency_seconds_bucket{route="/b \\"quoted\\"\\\\",le="1"}')).toBe(1);
    await Promise.all([one.close(), two.close()]);
  });

  it('writes HELP and TYPE once per family and renders scrape-time gauges', async () => {
    const prefix = `${testRedis.prefix}:gauge`;
    const metrics = createMetrics(a, prefix);
    const gauges = await queueGauges([{ name: 'fetch', getJobCounts: async () => ({ waiting: 5, active: 2 }) }]);
    const text = await metrics.render(async () => [gauges, { name: 'newsfold_feeds', help: 'Feeds.', samples: [{ labels: { state: 'enabled' }, value: 3 }] }]);
    const samples = parseExposition(text);
    expect(samples.get('newsfold_queue_jobs{queue="fetch",state="waiting"}')).toBe(5);
    expect(samples.get('newsfold_queue_jobs{queue="fetch",state="delayed"}')).toBe(0);
    expect(samples.get('newsfold_feeds{state="enabled"}')).toBe(3);
    expect(text.match(/^# TYPE newsfold_queue_jobs gauge$/gm)).toHaveLength(1);
    const families = text.match(/^# TYPE (\S+)/gm) ?? [];
    expect(new Set(families).size).toBe(families.length);
    await metrics.close();
  });

  it('never throws or rejects when Redis is unreachable', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const metrics = createMetrics(dead, 'unreachable');
    expect(() => metrics.recordFetch({ kind: 'enqueued' })).not.toThrow();
    expect(() => metrics.recordPlacement({ placed: 1, newStories: 1, seconds: 0.01 })).not.toThrow();
    await expect(metrics.close()).resolves.toBeUndefined();
    dead.disconnect();
  });

  it('closes within its timeout when Redis goes away with counts still to send', async () => {
    const target = new URL(testRedis.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    // As the services' client is: it retries for ever, holding commands until Redis is back.
    const client = new Redis(`redis://127.0.0.1:${proxy.port}`, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      const metrics = createMetrics(client, `${testRedis.prefix}:cut`);
      await client.ping();
      await proxy.cut();
      metrics.recordPlacement({ placed: 3, newStories: 1, seconds: 0.2 });
      const started = Date.now();
      await metrics.close();
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      client.disconnect();
      await proxy.close();
    }
  });

  it('refuses invalid metric and label names', () => {
    const registry = new MetricsRegistry(a, 'x');
    expect(() => registry.counter('bad-name', 'x')).toThrow(/metric name/);
    expect(() => registry.histogram('ok_seconds', 'x', [1], ['le'])).toThrow(/label name/);
  });
});
