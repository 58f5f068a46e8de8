import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { claimDueFeeds, type Pool } from '@newsfold/db';
import type { HealthReporter } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import { enqueueFetches, type FetchJobData } from '@newsfold/queue';

export interface SchedulerOptions {
  pool: Pool;
  fetchQueue: Queue<FetchJobData>;
  log: Logger;
  /** How often to look for due feeds. Short enough that a new feed is fetched within seconds. */
  intervalMs?: number;
  /** How long a claimed feed stays claimed if its job is lost before it runs. */
  leaseMs: number;
  batchSize?: number;
  /** Told of connection failures (reported once per outage), so a tick failing with them is said at debug. */
  health?: HealthReporter;
}

/** One tick: claim due feeds in Postgres, enqueue a fetch for each. Returns the claimed ids. */
export async function tick(options: SchedulerOptions): Promise<string[]> {
  const ids = await claimDueFeeds(options.pool, { limit: options.batchSize ?? 500, leaseMs: options.leaseMs });
  // Enqueued after the claim commits: if this fails, the lease expires and the next tick retries.
  await enqueueFetches(options.fetchQueue, ids);
  if (ids.length > 0) options.log.debug({ feeds: ids.length }, 'enqueued due feeds');
  return ids;
}

/** A tick running longer than this is stuck; no tick started for this long, the loop is. */
const STUCK_MS = 120_000;

/**
 * Runs tick() on an interval until stopped; a failed tick is logged and the next one tries again.
 * `status` is 'ok' while ticks keep starting and none runs for long (a tick failing because
 * Postgres is away is the Postgres check's to report), for readiness.
 */
export function startScheduler(options: SchedulerOptions): { stop(): Promise<void>; status(): string } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let lastStartedAt = Date.now();
  let runningSince: number | null = null;
  const intervalMs = options.intervalMs ?? 2_000;
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      lastStartedAt = runningSince = Date.now();
      try {
        while ((await tick(options)).length === (options.batchSize ?? 500) && !stopped);
      } catch (error) {
        if (options.health?.report(error)) options.log.debug({ err: (error as Error).message }, 'scheduler tick failed; retrying');
        else options.log.error({ err: error }, 'scheduler tick failed');
      } finally {
        runningSince = null;
      }
    });
  }, intervalMs);
  return {
    status: () => {
      const now = Date.now();
      if (runningSince !== null && now - runningSince > STUCK_MS) return `a scheduler tick has run for ${Math.round((now - runningSince) / 1000)} s`;
      if (runningSince === null && now - lastStartedAt > Math.max(STUCK_MS, intervalMs * 10)) return `no scheduler tick for ${Math.round((now - lastStartedAt) / 1000)} s`;
      return 'ok';
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      // A tick waiting on Redis or Postgres that went away is left to fail when the connections
      // close; a shutdown does not wait for their return.
      await Promise.race([running, sleep(3_000)]);
    },
  };
}
