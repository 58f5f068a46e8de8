import { countEntryBatches, countPendingArticles, countUnpostedArticles } from '@newsfold/db';
import { queueGauges, type GaugeFamily } from '@newsfold/metrics';
import type { ApiDeps } from './deps.js';

/** Above this many rows (by the planner's estimate) a table's size is the estimate, not count(*). */
const EXACT_COUNT_BELOW = 100_000;

async function feedsByState(deps: ApiDeps): Promise<GaugeFamily> {
  const { rows } = await deps.pool.query<{ enabled: number; erroring: number; disabled: number }>(
    `SELECT count(*) FILTER (WHERE enabled AND error_count = 0)::int AS enabled,
            count(*) FILTER (WHERE enabled AND error_count > 0)::int AS erroring,
            count(*) FILTER (WHERE NOT enabled)::int AS disabled
       FROM feeds`,
  );
  const row = rows[0] ?? { enabled: 0, erroring: 0, disabled: 0 };
  return {
    name: 'newsfold_feeds',
    help: 'Subscribed feeds by state: enabled (last fetch fine), erroring (enabled, last fetch failed), disabled.',
    samples: (['enabled', 'erroring', 'disabled'] as const).map((state) => ({ labels: { state }, value: row[state] })),
  };
}

async function pendingArticles(deps: ApiDeps): Promise<GaugeFamily> {
  return {
    name: 'newsfold_articles_pending',
    help: 'Articles stored but not placed in a story yet (the story assigner takes them in batches).',
    samples: [{ labels: {}, value: await countPendingArticles(deps.pool) }],
  };
}

async function unpostedArticles(deps: ApiDeps): Promise<GaugeFamily> {
  return {
    name: 'newsfold_articles_unposted',
    help: 'Articles placed whose term postings and counts the story assigner writes later (when nothing is pending, or past 20,000).',
    samples: [{ labels: {}, value: await countUnpostedArticles(deps.pool) }],
  };
}

async function entryBatches(deps: ApiDeps): Promise<GaugeFamily> {
  const counts = await countEntryBatches(deps.pool);
  return {
    name: 'newsfold_entry_batches',
    help: 'Fetched entries not normalised yet, in batches held in Postgres: waiting for a normalizer, or failing (retried with backoff).',
    samples: [
      { labels: { state: 'waiting' }, value: counts.pending - counts.failing },
      { labels: { state: 'failing' }, value: counts.failing },
    ],
  };
}

/** A table's row count: exact while small, the planner's estimate (pg_class.reltuples) once large. */
async function tableRows(deps: ApiDeps, table: 'stories' | 'articles'): Promise<number> {
  const { rows } = await deps.pool.query<{ estimate: number }>(
    'SELECT reltuples::float8 AS estimate FROM pg_class WHERE oid = to_regclass($1)',
    [table],
  );
  const estimate = rows[0]?.estimate ?? -1;
  if (estimate >= EXACT_COUNT_BELOW) return Math.round(estimate);
  const exact = await deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return exact.rows[0]?.n ?? 0;
}

/**
 * The gauges computed at scrape time: queue depths (BullMQ job counts), feeds by state and table
 * sizes (cheap Postgres queries). A source that fails is left out of this scrape, not the others.
 */
export async function scrapeGauges(deps: ApiDeps): Promise<GaugeFamily[]> {
  const settled = await Promise.allSettled([
    queueGauges([deps.queues.fetch, deps.queues.normalize]),
    feedsByState(deps),
    entryBatches(deps),
    pendingArticles(deps),
    unpostedArticles(deps),
    tableRows(deps, 'stories').then((value) => ({
      name: 'newsfold_stories',
      help: 'Stories stored (exact below 100k, else the planner estimate).',
      samples: [{ labels: {}, value }],
    })),
    tableRows(deps, 'articles').then((value) => ({
      name: 'newsfold_articles',
      help: 'Articles stored (exact below 100k, else the planner estimate).',
      samples: [{ labels: {}, value }],
    })),
  ]);
  const families: GaugeFamily[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') families.push(result.value);
    else deps.log.warn({ err: result.reason }, 'a metrics gauge could not be computed');
  }
  return families;
}
