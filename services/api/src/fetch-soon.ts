import type { Logger } from '@newsfold/logging';
import { enqueueFetches, type Queues } from '@newsfold/queue';

/**
 * Queues a fetch of these feeds, for an answer that should not wait on Redis: at most `waitMs`
 * (2 s), since while Redis is away the queue connection waits for it, for ever. The feeds are due
 * in Postgres already (new, or marked due), so the poller's next tick fetches any that this does
 * not queue.
 */
export async function fetchSoon(deps: { queues: Pick<Queues, 'fetch'>; log: Logger }, feedIds: string[], waitMs = 2_000): Promise<void> {
  const queued = enqueueFetches(deps.queues.fetch, feedIds).catch((error: unknown) => {
    deps.log.warn({ err: error, feeds: feedIds.length }, 'could not queue fetches; the poller fetches the feeds at its next tick');
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  const outcome = await Promise.race([queued, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    deps.log.warn({ feeds: feedIds.length }, 'fetches not queued yet (is Redis down?); the poller fetches the feeds at its next tick');
  }
}
