import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { claimEntryBatches, type Pool } from '@newsfold/db';
import type { Logger } from '@newsfold/logging';
import { BATCH_LEASE_MS, enqueueBatches, type NormalizeJobData } from '@newsfold/queue';

export interface SweepDeps {
  pool: Pool;
  queue: Queue<NormalizeJobData>;
  log: Logger;
  /** The queue prefix: the key that tells whether Redis lost its data lives under it. */
  prefix: string;
}

export interface SweepResult {
  requeued: number;
  /** Redis had lost its data (or this is the first sweep against it). */
  redisWiped: boolean;
}

const PAGE = 500;

/**
 * One round of recovery from Postgres, the record of all work; Redis only carries jobs.
 * - Entry batches whose job may be lost (due, or all of them when `everything`) are queued again;
 *   a job still in Redis is left as it is (the job id is the batch's).
 * - Redis losing its data (wiped, restarted without persistence) is noticed by a key this sweep
 *   keeps there being gone: then every batch is queued again at once, not as leases run out.
 * (Articles stored but not placed yet are the story assigner's: it finds them in Postgres.)
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
  return { requeued, redisWiped };
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
