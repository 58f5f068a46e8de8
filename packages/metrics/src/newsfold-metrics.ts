import type { Redis } from 'ioredis';
import { MetricsRegistry, type RegistryOptions } from './registry.js';
import { renderPrometheus, type GaugeFamily } from './render.js';

/** Fetch outcomes as the poller's fetchFeed reports them. */
export const FETCH_OUTCOMES = ['enqueued', 'unchanged', 'not-modified', 'failed', 'skipped'] as const;

/** Latency buckets in seconds, shared by the request and story-batch histograms. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What fetchFeed returned, structurally (this package does not depend on the poller). */
export interface FetchOutcomeLike {
  kind: string;
  /** On failure: the error code (`timeout`, `http_error`, `not_a_feed`, `invalid_feed`, …). */
  code?: string;
  /** On failure: whether fetching (FetchError) or parsing the body failed. */
  stage?: 'fetch' | 'parse';
}

/**
 * newsfold's metrics. Every process creates one on the shared Redis connection with the queue
 * prefix; the API renders them all at `/metrics`.
 */
export interface Metrics {
  readonly registry: MetricsRegistry;
  recordFetch(outcome: FetchOutcomeLike): void;
  recordNormalize(result: { created: number }): void;
  /** A batch of pending articles placed by the story assigner. */
  recordPlacement(batch: { placed: number; newStories: number; seconds: number }): void;
  /** A settle pass (articles it moved, how long it took). */
  recordSettle(pass: { moved: number; seconds: number }): void;
  observeRequest(request: { method: string; route: string; status: number }, seconds: number): void;
  /** The text exposition of every counter and histogram, plus the given scrape-time gauges. */
  render(gauges?: () => Promise<GaugeFamily[]>): Promise<string>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createMetrics(redis: Redis, prefix: string, options: RegistryOptions = {}): Metrics {
  const registry = new MetricsRegistry(redis, prefix, options);
  const fetches = registry.counter(
    'newsfold_fetches_total',
    'Feed fetches by outcome (enqueued = new or changed entries handed to the normalizer).',
    ['outcome'],
    FETCH_OUTCOMES.map((outcome) => ({ outcome })),
  );
  const fetchErrors = registry.counter('newsfold_fetch_errors_total', 'Failed feed fetches by error code.', ['code']);
  const parseErrors = registry.counter('newsfold_parse_errors_total', 'Fetched bodies that did not parse as a feed, by error code.', ['code']);
  const articles = registry.counter('newsfold_articles_created_total', 'Articles stored for the first time.');
  const stories = registry.counter('newsfold_stories_created_total', 'Stories started by a new article.');
  const placed = registry.counter('newsfold_articles_placed_total', 'Articles placed in stories by the story assigner.');
  const batches = registry.histogram(
    'newsfold_story_batch_seconds',
    'Time to place one batch of pending articles (one story write: lock wait, loading, deciding, writing).',
    LATENCY_BUCKETS,
  );
  const settled = registry.counter('newsfold_articles_settled_total', 'Articles moved to another story by the settle pass.');
  const settles = registry.histogram('newsfold_settle_seconds', 'Time of one settle pass (reading, re-grouping and writing the recent window).', [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120]);
  const requests = registry.histogram(
    'newsfold_http_request_duration_seconds',
    'HTTP request latency by method, matched route and status.',
    LATENCY_BUCKETS,
    ['method', 'route', 'status'],
  );
  return {
    registry,
    recordFetch: (outcome) => {
      fetches.inc({ outcome: outcome.kind });
      if (outcome.kind !== 'failed') return;
      const code = outcome.code ?? 'unknown';
      if (outcome.stage === 'parse') parseErrors.inc({ code });
      else fetchErrors.inc({ code });
    },
    recordNormalize: (result) => articles.inc({}, result.created),
    recordPlacement: (batch) => {
      placed.inc({}, batch.placed);
      stories.inc({}, batch.newStories);
      batches.observe({}, batch.seconds);
    },
    recordSettle: (pass) => {
      settled.inc({}, pass.moved);
      settles.observe({}, pass.seconds);
    },
    observeRequest: ({ method, route, status }, seconds) => requests.observe({ method, route, status }, seconds),
    render: async (gauges) => {
      await registry.flush();
      return renderPrometheus(redis, prefix, registry.definitions, gauges);
    },
    flush: () => registry.flush(),
    close: () => registry.close(),
  };
}
