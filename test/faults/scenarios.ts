import type { Corpus } from './corpus.js';
import { KNOBS } from './knobs.js';
import type { FaultContext, Scenario } from './run-scenario.js';
import type { ServiceProcess } from './service-process.js';

export interface Corpora {
  /** Many feeds, each event reported by several of them. */
  main: Corpus;
  /** One feed of 480 items: a single normalize job. */
  big: Corpus;
}

const nothing = async () => undefined;

/**
 * Kills `target()` with SIGKILL, the i-th time (from `first` to KNOBS.kills) once `striking(i)`
 * says it is busy, starting it again at once after each kill.
 */
async function killRepeatedly(
  ctx: FaultContext,
  target: () => ServiceProcess,
  what: string,
  striking: (i: number) => Promise<boolean> | boolean,
  first = 1,
): Promise<void> {
  for (let i = first; i <= KNOBS.kills; i++) {
    if (!(await ctx.waitFor(`${what} (kill ${i})`, () => striking(i)))) return;
    await ctx.stack.crash(target());
    ctx.note(`kill -9 ${target().name} ${what} (${(await ctx.progress())?.stored ?? '?'} stored), started again (${i}/${KNOBS.kills})`);
  }
}

/**
 * Kills from `first` on spread over the ingest: the i-th once (i - first + 1)/(kills - first + 2)
 * of the corpus is stored (so the last leaves little of the work for after the fault), and, with
 * `midJob`, while stored articles still wait for their story (a normalize job is half done).
 */
function ingestReached(ctx: FaultContext, midJob: boolean, first = 1): (i: number) => Promise<boolean> {
  return async (i) => {
    const p = await ctx.progress();
    const share = (i - first + 1) / (KNOBS.kills - first + 2);
    return p !== null && p.stored >= ctx.stack.corpus.items.length * share && (!midJob || p.unplaced > 0);
  };
}

/**
 * Subscribes with the api killed while it handles the OPML import, then imports again as a client
 * would after a dropped connection: whatever the first import did or did not commit, every feed
 * must end up subscribed once.
 */
async function subscribeThroughApiCrash(ctx: FaultContext): Promise<void> {
  let crashed: Promise<void> = Promise.resolve();
  const first = await ctx.stack
    .importOpml(() => {
      crashed = ctx.stack.crash(ctx.stack.api);
    })
    .then(({ status }) => `answered ${status}`, (error: Error) => error.message);
  await crashed;
  ctx.note(`kill -9 api with the OPML import in flight (${first}), started again (1/${KNOBS.kills})`);
  const { status, body } = await ctx.stack.importOpml();
  ctx.note(`imported again: ${status}, ${body.created ?? '?'} created, ${body.existing ?? '?'} already subscribed`);
  if (status !== 200 || body.imported !== ctx.stack.corpus.feeds.length) throw new Error(`OPML import again answered ${status}: ${JSON.stringify(body)}`);
}

/** Lets the poller enqueue every feed's entries (nothing normalises yet), so that jobs are queued when the fault strikes. */
async function waitForQueuedWork(ctx: FaultContext): Promise<void> {
  const feeds = ctx.stack.corpus.feeds.length;
  await ctx.waitFor('every feed fetched', async () => ((await ctx.progress())?.fetchedFeeds ?? 0) === feeds, KNOBS.strikeWaitMs, KNOBS.probeIntervalMs);
  ctx.note(`normalize jobs queued: ${JSON.stringify((await ctx.stack.jobCounts()).normalize)}`);
}

/**
 * A fault that loses Redis' contents while every feed's normalize jobs wait there: normalizers are
 * held back until the poller has queued them all, and started once the fault is over.
 */
function whileJobsQueued(name: string, corpus: Corpus, what: string, fault: (ctx: FaultContext) => Promise<void>): Scenario {
  return {
    name,
    corpus,
    holdNormalizers: true,
    inject: async (ctx) => {
      await waitForQueuedWork(ctx);
      await fault(ctx);
      ctx.note(what);
      await Promise.all(ctx.stack.normalizers.map((s) => s.start()));
    },
  };
}

/**
 * Ingest is well under way: three quarters of the corpus stored, and articles waiting for their
 * story. Late rather than early, so that what is left to do after the fault takes seconds even on
 * a busy machine, and the time to recover measures the fault's cost more than the machine's speed.
 */
async function waitForIngestUnderWay(ctx: FaultContext): Promise<void> {
  const threeQuarters = Math.ceil((ctx.stack.corpus.items.length * 3) / 4);
  await ctx.waitFor('three quarters of the corpus stored', async () => {
    const p = await ctx.progress();
    return p !== null && p.stored >= threeQuarters && p.unplaced > 0;
  });
  ctx.note(`${(await ctx.progress())?.stored ?? '?'} articles stored when the fault struck`);
}

export function scenarios(corpora: Corpora): { control: Scenario; bigControl: Scenario; faults: Scenario[] } {
  const control: Scenario = { name: 'control', faultFree: true, corpus: corpora.main, inject: nothing };
  const bigControl: Scenario = { name: 'control-480', faultFree: true, corpus: corpora.big, inject: nothing };
  const faults: Scenario[] = [
    {
      name: 'postgres-outage-60s',
      corpus: corpora.main,
      inject: async (ctx) => {
        await waitForIngestUnderWay(ctx);
        await ctx.stack.postgres.outage(KNOBS.outageMs);
        ctx.note(`Postgres back after ${KNOBS.outageMs / 1000} s`);
      },
    },
    {
      name: 'normalizer-killed-twice-in-one-job',
      corpus: corpora.big,
      inject: async (ctx) => {
        const items = ctx.stack.corpus.items.length;
        const normalizer = ctx.stack.normalizers[0] as ServiceProcess;
        let placed = 0;
        const placedNow = async () => {
          const p = await ctx.progress();
          return p === null ? null : p.stored - p.unplaced;
        };
        const placedSince = (step: number) => async () => {
          const now = await placedNow();
          return now !== null && now >= placed + step && now < items * 0.9;
        };
        // First strike well into the job: its articles stored, a twentieth of them placed.
        if (!(await ctx.waitFor('the 480-item job under way', placedSince(items / 20)))) return;
        await ctx.stack.crash(normalizer);
        placed = (await placedNow()) ?? placed;
        ctx.note(`kill -9 ${normalizer.name} with ${placed} of ${items} placed, started again (1/2)`);
        // Second strike as soon as the same job, taken up again after the kill, places another article.
        if (!(await ctx.waitFor('the interrupted job to run again', placedSince(1), KNOBS.resumeWaitMs))) return;
        await ctx.stack.crash(normalizer);
        placed = (await placedNow()) ?? placed;
        ctx.note(`kill -9 ${normalizer.name} with ${placed} of ${items} placed, started again (2/2)`);
      },
    },
    {
      name: 'normalizer-killed-3x',
      corpus: corpora.main,
      inject: (ctx) => killRepeatedly(ctx, () => ctx.stack.normalizers[0] as ServiceProcess, 'mid-job', ingestReached(ctx, true)),
    },
    {
      name: 'poller-killed-3x',
      corpus: corpora.main,
      // Slow answers and few fetches at a time: a kill lands on fetches in flight, and not on all of them.
      feedDelayMs: 800,
      env: { FETCH_CONCURRENCY: '4' },
      inject: (ctx) => killRepeatedly(ctx, () => ctx.stack.pollers[0] as ServiceProcess, 'with fetches in flight', () => ctx.stack.feeds.inFlight() > 0),
    },
    {
      name: 'api-killed-3x',
      corpus: corpora.main,
      // The first kill lands on the OPML import, the others on the ingest it started.
      subscribe: subscribeThroughApiCrash,
      inject: (ctx) => killRepeatedly(ctx, () => ctx.stack.api, 'while ingesting', ingestReached(ctx, false, 2), 2),
    },
    whileJobsQueued('redis-flushall', corpora.main, 'FLUSHALL', (ctx) => ctx.stack.redis.flushAll()),
    whileJobsQueued('redis-restart-no-persistence', corpora.main, 'Redis restarted empty', (ctx) => ctx.stack.redis.restart()),
    {
      name: 'postgres-fast-restart',
      corpus: corpora.main,
      inject: async (ctx) => {
        await waitForIngestUnderWay(ctx);
        await ctx.stack.postgres.restartFast();
        ctx.note('Postgres restarted (fast)');
      },
    },
    { name: '4-normalizers-2-pollers', faultFree: true, corpus: corpora.main, pollers: 2, normalizers: 4, inject: nothing },
  ];
  return { control, bigControl, faults };
}
