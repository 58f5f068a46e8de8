import { setTimeout as sleep } from 'node:timers/promises';
import { countPendingArticles, openLeaderSession, pendingArticles, storyEngineState, type LeaderSession, type Pool } from '@newsfold/db';
import type { HealthReporter } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import { settleStories, type SettleMemoryHolder, type SettleReport } from './settle.js';
import { StoryEngine, type BatchResult } from './story-engine.js';

export interface AssignerOptions {
  pool: Pool;
  log: Logger;
  windowMs: number;
  /** Told of connection failures, which it says once per outage. */
  health?: HealthReporter;
  /** Each batch placed (for metrics). */
  onBatch?: (batch: BatchResult) => void;
  /** Each settle pass (for metrics). */
  onSettle?: (report: SettleReport) => void;
  /** How often, at most, the settle pass runs, when nothing is pending and stories changed since the last (default 5 min; 0: never). */
  settleIntervalMs?: number;
  /** How far back a settle pass reaches (default 24 h, at most the window). */
  settleSpanMs?: number;
  batchSize?: number;
  /** How long to wait when nothing is pending (default 250 ms). */
  idleMs?: number;
  /** How often a replica that is not the assigner tries to become it (default 2 s). */
  electionMs?: number;
}

export interface Assigner {
  /** Whether this process is the assigner now. */
  isLeader(): boolean;
  /** 'ok', or why not (for /readyz): the assigner's batches failing, or none placed for long while work waits. */
  status(): string;
  stop(): Promise<void>;
}

/** An article that cannot be placed (whatever is wrong with it) waits this long before another try. */
const SET_ASIDE_MS = 10 * 60_000;
/** Batches failing for this long make the assigner not ready. */
const FAILING_MS = 120_000;

/**
 * The story assigner: one at a time across every normalizer replica (whoever holds the leader
 * session's lock; another replica takes over within seconds of its holder dying), it places
 * pending articles in batches (StoryEngine) for as long as there are any.
 *
 * A batch that fails for another reason than a connection is tried again with half as many
 * articles, down to one: an article that cannot be placed is set aside for ten minutes and said
 * once, and the others go on being placed.
 */
export function startAssigner(options: AssignerOptions): Assigner {
  const { pool, log } = options;
  const engine = new StoryEngine(pool, { windowMs: options.windowMs, ...(options.batchSize ? { batchSize: options.batchSize } : {}) });
  const idleMs = options.idleMs ?? 250;
  const electionMs = options.electionMs ?? 2_000;
  const setAside = new Map<string, number>();
  let session: LeaderSession | null = null;
  let leader = false;
  let stopped = false;
  let failingSince: number | null = null;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const stepDown = (why: string) => {
    if (leader) log.warn({ reason: why }, 'no longer the story assigner');
    leader = false;
    engine.reset();
    const old = session;
    session = null;
    void old?.close();
  };

  const elect = async (): Promise<void> => {
    try {
      if (!session) {
        const opened = await openLeaderSession(pool);
        session = opened;
        void opened.lost.then((error) => {
          if (session === opened) stepDown(error.message);
        });
      }
      if (await session.tryLead()) {
        leader = true;
        engine.reset();
        log.info('this process is now the story assigner');
      }
    } catch (error) {
      if (!options.health?.report(error)) log.error({ err: error }, 'could not try to become the story assigner');
      const old = session;
      session = null;
      await old?.close();
    }
  };

  const settleIntervalMs = options.settleIntervalMs ?? 5 * 60_000;
  const settleSpanMs = Math.min(options.settleSpanMs ?? 24 * 3_600_000, options.windowMs);
  let lastSettle = 0;
  let settledRevision: string | null = null;
  // What each pass keeps for the next: passes within an hour mostly decide only what is new.
  const settleMemory: SettleMemoryHolder = {};
  /** When nothing is pending: the settle pass, if it is due and stories changed since the last one. */
  const settleIfDue = async (): Promise<void> => {
    if (settleIntervalMs <= 0 || Date.now() - lastSettle < settleIntervalMs) return;
    lastSettle = Date.now();
    try {
      if ((await storyEngineState(pool)).revision === settledRevision) return;
      const report = await settleStories(pool, {
        windowMs: options.windowMs,
        spanMs: settleSpanMs,
        memory: settleMemory,
        // Articles waiting are placed first: a pass over a large window takes a while.
        // (But for those set aside: they wait ten minutes whatever happens.)
        giveWay: async () => stopped || (await countPendingArticles(pool, [...setAside.keys()])) > 0,
      });
      if (report.gaveWay) {
        // Tried again a minute later (at the next moment nothing is pending), not at once: on a
        // busy instance each try would read the window only to give way again.
        lastSettle = Date.now() - settleIntervalMs + Math.min(settleIntervalMs, 60_000);
        log.info({ ...report }, 'the settle pass gave way to waiting articles');
        return;
      }
      if (!report.stale) settledRevision = (await storyEngineState(pool)).revision;
      else lastSettle = 0;
      options.onSettle?.(report);
      if (report.stale) log.info({ ...report }, 'the settle pass gave way to another story write');
      else if (report.moved > 0) log.info({ ...report }, 'settled the recent stories');
      else log.debug({ ...report }, 'settled the recent stories: nothing moved');
    } catch (error) {
      if (!options.health?.report(error)) log.error({ err: error }, 'the settle pass failed; it runs again later');
    }
  };

  let limit = engine.defaultBatchSize;
  const runBatch = async (): Promise<void> => {
    const now = Date.now();
    for (const [id, until] of setAside) if (until <= now) setAside.delete(id);
    try {
      const batch = await engine.placeBatch({ limit, skip: [...setAside.keys()] });
      failingSince = null;
      limit = engine.defaultBatchSize;
      if (batch.placed === 0) {
        // Postings left for later are written next, and the next after them, as long as any are left.
        if (batch.posted > 0) return;
        await settleIfDue();
        return pause(idleMs);
      }
      options.onBatch?.(batch);
      log.debug({ ...batch }, 'placed a batch of articles');
    } catch (error) {
      failingSince ??= now;
      if (options.health?.report(error)) return pause(1_000);
      if (limit > 1) {
        limit = Math.max(1, Math.floor(limit / 2));
        return;
      }
      // One article alone fails: it is the one.
      const [culprit] = await pendingArticles(pool, 1, [...setAside.keys()]).catch(() => []);
      if (culprit) setAside.set(culprit.id, now + SET_ASIDE_MS);
      log.error({ err: error, articleId: culprit?.id }, 'could not place an article; it is set aside for ten minutes, the others are placed');
      limit = engine.defaultBatchSize;
    }
  };

  const loop = (async () => {
    while (!stopped) {
      if (!leader) {
        await elect();
        if (!leader && !stopped) await pause(electionMs);
        continue;
      }
      await runBatch();
    }
  })();

  return {
    isLeader: () => leader,
    status: () => (leader && failingSince !== null && Date.now() - failingSince > FAILING_MS ? `story batches failing for ${Math.round((Date.now() - failingSince) / 1000)} s` : 'ok'),
    stop: async () => {
      stopped = true;
      wake?.();
      // A batch waiting on a dependency that went away is left to fail when the pool closes.
      await Promise.race([loop, sleep(3_000)]);
      leader = false;
      await session?.close();
      session = null;
    },
  };
}
