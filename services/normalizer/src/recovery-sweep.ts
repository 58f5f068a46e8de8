import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { claimEntryBatches, unplacedArticles, type Pool } from '@newsfold/db';
import type { HealthReporter } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import { BATCH_LEASE_MS, enqueueBatches, type NormalizeJobData } from '@newsfold/queue';
import { placeArticles } from './place-articles.js';

export interface SweepDeps {
  pool: Pool;
  queue: Queue<NormalizeJobData>;
  log: Logger;
  storyWindowMs: number;
  /** The queue prefix: the key that tells whether Redis lost its data lives under it. */
  prefix: string;
  metrics?: Metrics | undefined;
  /** Told of connection failures: then the round ends, to be tried again, instead of going on. */
  health?: HealthReporter | undefined;
}

export interface SweepResult {
  requeued: number;
  /** Articles found without a story and placed. */
  placed: number;
  /** Redis had lost its data (or this is the first sweep against it). */
  redisWiped: boolean;
}

/** Articles without a story for this long are the sweep's: a job placing them would have by now. */
export const UNPLACED_AFTER_MS = 60_000;
const PAGE = 500;
const PLACE_PER_ROUND = 200;

/**
 * One round of recovery from Postgres, the record of all work; Redis only carries jobs.
 * - Entry batches whose job may be lost (due, or all of them when `everything`) are queued again;
 *   a job still in Redis is left as it is (the job id is the batch's).
 * - Redis losing its data (wiped, restarted without persistence) is noticed by a key this sweep
 *   keeps there being gone: then every batch is queued again at once, not as leases run out.
 * - Articles stored but left without a story (a worker died between the two) are placed.
 */
export async function sweepOnce(deps: SweepDeps, options: { everything?: boolean } = {}): Promise<SweepResult> {
  // Two replicas may both find the key gone and both queue everything: that costs no-ops, no more.
  const client = await deps.queue.client;
  const mark = `${deps.prefix}:recovery-mark`;
  const redisWiped = (await client.get(mark)) === null;
  if (redisWiped) await client.set(mark, String(Date.now()));
  const requeued = await requeueBatches(deps, { everything: options.everything === true || redisWiped });
  if (redisWiped && !options.everything && requeued > 0) {
    deps.log.warn({ batches: requeued }, 'Redis had lost its queued jobs; queued the stored entry batches again');
  }
  const stranded = await unplacedArticles(deps.pool, { olderThanMs: UNPLACED_AFTER_MS, limit: PLACE_PER_ROUND });
  const placed = { newStories: 0, joinedStories: 0 };
  const failed: string[] = [];
  // One by one: an article that cannot be placed (whatever is wrong with it) must not keep the
  // ones after it, which every round finds behind it in the same order, from their stories.
  for (const article of stranded) {
    try {
      const one = await placeArticles(deps, [article]);
      placed.newStories += one.newStories;
      placed.joinedStories += one.joinedStories;
    } catch (error) {
      if (deps.health?.report(error)) throw error;
      failed.push(article.id);
      deps.log.error({ err: error, articleId: article.id }, 'could not place an article left without a story');
    }
  }
  if (stranded.length > 0) deps.log.warn({ articles: stranded.length, ...placed, failed: failed.length }, 'placed articles that had been left without a story');
  return { requeued, placed: stranded.length - failed.length, redisWiped };
}

async function requeueBatches(deps: SweepDeps, options: { everything: boolean }): Promise<number> {
  let after = options.everything ? '0' : undefined;
  let total = 0;
  for (;;) {
    const batches = await claimEntryBatches(deps.pool, { limit: PAGE, leaseMs: BATCH_LEASE_MS, ...(after !== undefined ? { after } : {}) });
    await enqueueBatches(deps.queue, batches);
    total += batches.length;
    if (batches.length < PAGE) return total;
    if (after !== undefined) after = batches.at(-1)?.id ?? after;
  }
}

export interface Sweeper {
  /**
   * 'ok' while rounds keep starting and none runs for long; else what is wrong. A round that fails
   * (Postgres away) is not this check's to report: the Postgres check says it.
   */
  status(): string;
  stop(): Promise<void>;
}

/** A round running longer than this is stuck; no round started for this long, the loop is. */
const STUCK_MS = 120_000;
/** How long stop() waits for a round under way. */
const STOP_WAIT_MS = 3_000;

/**
 * Runs sweepOnce now (queueing every stored batch: at a normalizer's start no job can be trusted
 * to exist) and then every `intervalMs` (±20 %, so replicas drift apart). A failed round is
 * reported to `onError` and the next one tries again.
 */
export function startSweeper(deps: SweepDeps, options: { intervalMs?: number; onError: (error: unknown) => void }): Sweeper {
  const intervalMs = options.intervalMs ?? 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let everything = true;
  let running: Promise<void> = Promise.resolve();
  let lastStartedAt = Date.now();
  let runningSince: number | null = null;
  const round = async () => {
    lastStartedAt = runningSince = Date.now();
    try {
      await sweepOnce(deps, { everything });
      everything = false;
    } catch (error) {
      options.onError(error);
    } finally {
      runningSince = null;
    }
    if (!stopped) timer = setTimeout(() => (running = round()), intervalMs * (0.8 + Math.random() * 0.4));
  };
  running = round();
  return {
    status: () => {
      const now = Date.now();
      if (runningSince !== null && now - runningSince > STUCK_MS) return `a recovery sweep round has run for ${Math.round((now - runningSince) / 1000)} s`;
      if (runningSince === null && !stopped && now - lastStartedAt > Math.max(STUCK_MS, intervalMs * 10)) {
        return `no recovery sweep round for ${Math.round((now - lastStartedAt) / 1000)} s`;
      }
      return 'ok';
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      // A round waiting on Redis or Postgres that went away is left to fail when the connections
      // close; a shutdown does not wait for their return.
      await Promise.race([running, sleep(STOP_WAIT_MS)]);
    },
  };
}
