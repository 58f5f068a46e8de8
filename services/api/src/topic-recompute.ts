import { staleTopics, type Pool } from '@newsfold/db';
import { recomputeTopic } from '@newsfold/stories';
import type { HealthReporter } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';

/**
 * Background topic recomputes, in process (no queue): when a topic is created or changed, the
 * admin API answers at once and this rebuilds the topic's membership (recomputeTopic in
 * @newsfold/db: bounded batches, idempotent, safe alongside other replicas). Until it finishes
 * the topic's feeds filter stories directly, so nothing is ever served wrong, only slower.
 *
 * Topics are recomputed one at a time; a topic scheduled again while it runs runs once more.
 * A recompute lost to a crash or a restart is picked up by the sweep (`sweep`), which the API
 * runs at start and then periodically (`startTopicSweep`): it schedules every topic whose
 * membership is older than its definition, including ones changed by `newsfold topics set` or
 * another replica.
 *
 * The composition root makes one per process (`ApiDeps.recomputer`), so that the admin routes and
 * the sweep share its queue, and stops it after the server.
 */
export interface TopicRecomputer {
  schedule(slug: string): void;
  /** Schedules every stale topic. */
  sweep(): Promise<void>;
  /** Resolves when nothing is scheduled or running. */
  idle(): Promise<void>;
  /** Stops after the current batch; later schedules are ignored. */
  stop(): Promise<void>;
}

export function createTopicRecomputer(pool: Pool, log: Logger, health?: HealthReporter): TopicRecomputer {
  const pending = new Set<string>();
  const controller = new AbortController();
  let worker: Promise<void> | null = null;

  const drain = async () => {
    for (let slug = first(pending); slug !== undefined && !controller.signal.aborted; slug = first(pending)) {
      pending.delete(slug);
      const started = Date.now();
      try {
        const found = await recomputeTopic(pool, slug, { signal: controller.signal });
        if (found) log.info({ topic: slug, ms: Date.now() - started }, 'recomputed topic membership');
      } catch (error) {
        // The topic stays stale (its feeds keep filtering stories directly) until the next sweep.
        if (health?.report(error)) log.debug({ err: (error as Error).message, topic: slug }, 'topic membership recompute failed; the sweep retries');
        else log.error({ err: error, topic: slug }, 'topic membership recompute failed');
      }
    }
  };
  const kick = () => {
    if (worker || pending.size === 0 || controller.signal.aborted) return;
    worker = drain().finally(() => {
      worker = null;
      // A slug scheduled after the loop's last look but before this callback.
      kick();
    });
  };
  const recomputer: TopicRecomputer = {
    schedule(slug) {
      if (controller.signal.aborted) return;
      pending.add(slug);
      kick();
    },
    async sweep() {
      for (const slug of await staleTopics(pool)) recomputer.schedule(slug);
    },
    async idle() {
      while (worker) await worker;
    },
    async stop() {
      controller.abort();
      await recomputer.idle();
    },
  };
  return recomputer;
}

function first(set: Set<string>): string | undefined {
  for (const value of set) return value;
  return undefined;
}

/** The API's sweep: once at start, then every `intervalMs`. Returns a function that stops the timer. */
export function startTopicSweep(recomputer: TopicRecomputer, log: Logger, options: { intervalMs?: number; health?: HealthReporter } = {}): () => void {
  const sweep = () =>
    recomputer.sweep().catch((error: unknown) => {
      if (options.health?.report(error)) log.debug({ err: (error as Error).message }, 'topic recompute sweep failed; retrying');
      else log.error({ err: error }, 'topic recompute sweep failed');
    });
  void sweep();
  const timer = setInterval(() => void sweep(), options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
