import { setTimeout as sleep } from 'node:timers/promises';
import { claimDueFeeds, countEntryBatches, countPendingArticles, markFeedsDue } from '@newsfold/db';
import { createMetrics, type Metrics } from '@newsfold/metrics';
import { startNormalizer } from '@newsfold/normalizer';
import { fetchFeed, inProcessFetchLeaseMs, type FetchFeedOutcome } from '@newsfold/poller';
import { pendingJobs } from '@newsfold/queue';
import { CliError } from '../cli-error.js';
import { fetchOptions, pollBounds, type Runtime } from '../runtime.js';

export interface PollSummary {
  feeds: number;
  outcomes: Record<FetchFeedOutcome['kind'], number>;
}

/**
 * Fetches every enabled feed now, in this process. With `wait`, returns only when every
 * normalize job has finished; if no normalizer is running anywhere, one runs here meanwhile, so
 * `poll --once --wait` works on its own.
 */
export async function pollOnce(rt: Runtime, options: { wait: boolean; timeoutMs?: number }): Promise<PollSummary> {
  await markFeedsDue(rt.pool);
  // Claimed like a scheduler tick would, so a running poller does not fetch the same feeds too.
  const ids = await claimDueFeeds(rt.pool, { limit: 1_000_000, leaseMs: inProcessFetchLeaseMs(rt.config.fetch.timeoutMs) });
  const outcomes: PollSummary['outcomes'] = { skipped: 0, 'not-modified': 0, unchanged: 0, enqueued: 0, failed: 0 };
  // Counted like the services' fetches: /metrics sums every process's.
  const metrics = createMetrics(rt.redis, rt.config.queuePrefix);
  const deps = {
    pool: rt.pool,
    normalizeQueue: rt.queues.normalize,
    log: rt.log,
    fetch: fetchOptions(rt.config),
    bounds: pollBounds(rt.config),
    metrics,
  };
  const queue = [...ids];
  const workers = Array.from({ length: Math.min(rt.config.fetch.concurrency, queue.length) }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const outcome = await fetchFeed(deps, id);
      outcomes[outcome.kind] += 1;
    }
  });
  try {
    await Promise.all(workers);
    if (options.wait) await waitForNormalizer(rt, metrics, options.timeoutMs ?? 600_000);
  } finally {
    await metrics.close();
  }
  return { feeds: ids.length, outcomes };
}

/**
 * Waits until the fetched entries are in stories: until no fetch is queued, Postgres holds no
 * entry batch but those backing off after failures (the batches are the record; the normalize
 * queue may have lost jobs, which a normalizer's sweep queues again) and no article waits for the
 * story assigner.
 */
async function waitForNormalizer(rt: Runtime, metrics: Metrics, timeoutMs: number): Promise<void> {
  const remote = await rt.queues.normalize.getWorkers();
  const local =
    remote.length === 0
      ? startNormalizer({
          pool: rt.pool,
          connection: rt.redis,
          prefix: rt.config.queuePrefix,
          log: rt.log.child({ component: 'normalizer' }),
          storyWindowMs: rt.config.storyWindowMs,
          settleIntervalMs: rt.config.settleIntervalMs,
          metrics,
        })
      : null;
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Done when all that is left is batches waiting out the backoff of repeated failures (a
      // failed batch still due, such as one whose job was interrupted twice, is waited for).
      const batches = await countEntryBatches(rt.pool);
      if (batches.pending === batches.backingOff && (await pendingJobs(rt.queues.fetch)) === 0 && (await countPendingArticles(rt.pool)) === 0) {
        if (batches.backingOff > 0) rt.log.warn({ batches: batches.backingOff }, 'some fetched entries could not be normalised yet; they are retried later');
        return;
      }
      if (Date.now() > deadline) throw new CliError('timeout', `normalisation did not finish within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  } finally {
    await local?.close();
  }
}
