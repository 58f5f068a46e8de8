import { setTimeout as sleep } from 'node:timers/promises';
import type { Corpus } from './corpus.js';
import { KNOBS } from './knobs.js';
import type { FaultContext, Scenario } from './run-scenario.js';
import type { ServiceProcess } from './service-process.js';
import { countSaid, readServiceLogs, type LogLine } from './service-logs.js';

export interface Corpora {
  /** Many feeds, each event reported by several of them. */
  main: Corpus;
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

/**
 * Every feed's entries stored and their normalize jobs waiting in Redis, the normalizers running
 * but taking none: the normalize queue is paused (normalising is far quicker than a probe, so
 * jobs would not otherwise wait long enough to be struck).
 */
async function waitForQueuedWork(ctx: FaultContext): Promise<void> {
  await ctx.stack.pauseNormalize();
  const feeds = ctx.stack.corpus.feeds.length;
  const queued = (counts: Record<string, number>) => (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0);
  await ctx.waitFor(
    'every feed fetched and its job queued',
    async () => ((await ctx.progress())?.fetchedFeeds ?? 0) === feeds && queued((await ctx.stack.jobCounts()).normalize) > 0,
    KNOBS.strikeWaitMs,
    KNOBS.probeIntervalMs,
  );
  ctx.note(`${(await ctx.progress())?.stored ?? '?'} stored, normalize jobs ${JSON.stringify((await ctx.stack.jobCounts()).normalize)} when the fault struck`);
}

/**
 * A fault that loses Redis' contents, queued jobs and the pause with them, while the normalizers
 * run: they must notice by themselves that the work they were given is gone.
 */
function whileJobsQueued(name: string, corpus: Corpus, what: string, fault: (ctx: FaultContext) => Promise<void>): Scenario {
  return {
    name,
    corpus,
    inject: async (ctx) => {
      await waitForQueuedWork(ctx);
      await fault(ctx);
      ctx.note(what);
    },
    // Not by leases running out one by one: a normalizer saw that Redis had lost its data.
    check: (logs) => (logs.some((l) => l.msg.startsWith('Redis had lost its queued jobs')) ? [] : ['no normalizer noticed that Redis had lost its jobs']),
  };
}

/** Each of `runs` said each of `messages` exactly once: an outage is a state said once, not a line per retry. */
function saidOncePerRun(logs: readonly LogLine[], runs: readonly string[], messages: readonly string[]): string[] {
  const problems: string[] = [];
  for (const message of messages) {
    const counts = countSaid(logs, message);
    for (const run of runs) {
      const n = counts.get(run) ?? 0;
      if (n !== 1) problems.push(`${run} said "${message}" ${n} times, not once`);
    }
  }
  return problems;
}

/** How many times a normalizer has said it became the story assigner. */
async function assignerTakeovers(ctx: FaultContext): Promise<number> {
  return (await readServiceLogs(ctx.stack.logDir)).filter((l) => l.msg === 'this process is now the story assigner').length;
}

/** The normalizer that last said it became the story assigner. */
async function currentAssigner(ctx: FaultContext): Promise<ServiceProcess | undefined> {
  const said = (await readServiceLogs(ctx.stack.logDir)).filter((l) => l.msg === 'this process is now the story assigner');
  said.sort((a, b) => (a.time < b.time ? -1 : 1));
  const name = said.at(-1)?.run.replace(/\.\d+$/, '');
  return ctx.stack.normalizers.find((n) => n.name === name && n.alive());
}

/** Readiness problems seen while a fault was on, handed to the scenario's check. */
const unready: string[] = [];

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

export function scenarios(corpora: Corpora): { control: Scenario; faults: Scenario[] } {
  const control: Scenario = { name: 'control', faultFree: true, corpus: corpora.main, inject: nothing };
  const faults: Scenario[] = [
    {
      name: 'postgres-outage-60s',
      corpus: corpora.main,
      inject: async (ctx) => {
        await waitForIngestUnderWay(ctx);
        await ctx.stack.postgres.stop();
        const back = Date.now() + KNOBS.outageMs;
        // Health tells the truth: every service's /readyz says Postgres is what is missing.
        await sleep(Math.min(10_000, KNOBS.outageMs / 2));
        for (const service of ctx.stack.services()) {
          const ready = await ctx.stack.readiness(service);
          ctx.note(`${service.name} /readyz during the outage: ${ready ? `${ready.status} postgres: ${ready.checks.postgres}` : 'no answer'}`);
          if (ready?.status !== 503 || !ready.checks.postgres || ready.checks.postgres === 'ok') unready.push(`${service.name} did not report Postgres down: ${JSON.stringify(ready)}`);
        }
        await sleep(Math.max(0, back - Date.now()));
        await ctx.stack.postgres.start();
        ctx.note(`Postgres back after ${KNOBS.outageMs / 1000} s`);
      },
      check: (logs) => [...unready.splice(0), ...saidOncePerRun(logs, ['api.1', 'poller-1.1', 'normalizer-1.1'], ['Postgres unreachable', 'Postgres reachable again'])],
    },
    {
      // The story assigner (one normalizer of two holds the role) killed while articles wait for
      // it, twice: the other takes over within seconds, and nothing is lost, doubled or left out.
      name: 'assigner-killed-twice',
      corpus: corpora.main,
      normalizers: 2,
      // Feeds answer slowly, so that stored articles keep arriving for a while.
      feedDelayMs: 800,
      env: { FETCH_CONCURRENCY: '4' },
      inject: async (ctx) => {
        for (let kill = 1; kill <= 2; kill++) {
          // The role taken (again, after the last kill) before the next strike.
          if (!(await ctx.waitFor(`a story assigner (kill ${kill})`, async () => (await assignerTakeovers(ctx)) >= kill))) return;
          if (!(await ctx.waitFor(`articles waiting for the assigner (kill ${kill})`, async () => ((await ctx.progress())?.unplaced ?? 0) > 0))) return;
          const leader = await currentAssigner(ctx);
          if (!leader) return ctx.note('no normalizer said it was the story assigner');
          await ctx.stack.crash(leader);
          ctx.note(`kill -9 ${leader.name}, the story assigner, with ${(await ctx.progress())?.unplaced ?? '?'} articles waiting, started again (${kill}/2)`);
        }
      },
      // After each kill another process took the role: the other normalizer, or the one started
      // again, whichever tried first (three processes in all held it).
      check: (logs) => {
        const leaders = new Set(logs.filter((l) => l.msg === 'this process is now the story assigner').map((l) => l.run));
        return leaders.size >= 3 ? [] : [`only ${[...leaders].join(', ') || 'nobody'} held the story assigner role`];
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
      // Spread over the fetching: the i-th kill once i/(kills + 1) of the feeds have been served.
      inject: (ctx) =>
        killRepeatedly(
          ctx,
          () => ctx.stack.pollers[0] as ServiceProcess,
          'with fetches in flight',
          (i) => ctx.stack.feeds.inFlight() > 0 && ctx.stack.feeds.servedFeeds.size >= Math.floor((i * ctx.stack.corpus.feeds.length) / (KNOBS.kills + 1)),
        ),
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
    {
      // `pnpm start`: a connection dropped under a transaction once ended the whole process, API
      // included.
      name: 'all-in-one-postgres-fast-restart',
      corpus: corpora.main,
      allInOne: true,
      inject: async (ctx) => {
        await waitForIngestUnderWay(ctx);
        await ctx.stack.postgres.restartFast();
        ctx.note('Postgres restarted (fast)');
      },
    },
    { name: '4-normalizers-2-pollers', faultFree: true, corpus: corpora.main, pollers: 2, normalizers: 4, inject: nothing },
  ];
  return { control, faults };
}
