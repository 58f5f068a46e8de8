import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventOfLink, expectedGroups, type Corpus } from './corpus.js';
import { groupingErrors, sameGrouping } from './grouping.js';
import { KNOBS } from './knobs.js';
import type { Measurement, Progress } from './observe.js';
import type { ExitRecord } from './service-process.js';
import { ERROR, readServiceLogs, readServiceStderr, type LogLine } from './service-logs.js';
import { startStack, type Stack } from './stack.js';

/** What a fault script is given: the running stack, and a place to say what happened. */
export interface FaultContext {
  stack: Stack;
  note(text: string): void;
  /** Current database figures (null while Postgres is unreachable). */
  progress(): Promise<Progress | null>;
  /**
   * Polls until `ready` holds, at most `timeoutMs`: true when it did, false (and a note naming
   * `what`) when the wait ran out.
   */
  waitFor(what: string, ready: () => Promise<boolean> | boolean, timeoutMs?: number, intervalMs?: number): Promise<boolean>;
}

export interface Scenario {
  name: string;
  /**
   * Nothing is done to it (a control, or several replicas at work): its time is how long ingest
   * takes, held to the longer ingest cap (a hang guard, since this is no speed test) rather than
   * to the recovery limit.
   */
  faultFree?: boolean;
  corpus: Corpus;
  pollers?: number;
  normalizers?: number;
  /** Normalizers are left for the fault script to start (to fault jobs while they are queued). */
  holdNormalizers?: boolean;
  /** One `newsfold all` process instead of an api, pollers and normalizers. */
  allInOne?: boolean;
  feedDelayMs?: number;
  env?: Record<string, string>;
  /** Subscribes the corpus' feeds in its own way (by default: one OPML import through the api). */
  subscribe?(ctx: FaultContext): Promise<void>;
  /** Injects the fault; resolves once it is over (whatever it stopped is running again). */
  inject(ctx: FaultContext): Promise<void>;
  /**
   * What the scenario must also have shown, read from the services' logs once things settled (the
   * path it is about was taken; the outage was said once): problems found, none when all is well.
   */
  check?(logs: readonly LogLine[]): string[];
}

export interface ProcessReport {
  name: string;
  alive: boolean;
  kills: number;
  unexpectedExits: ExitRecord[];
}

export interface ScenarioResult extends Measurement {
  name: string;
  faultFree: boolean;
  corpusItems: number;
  matchesExpected: boolean;
  duplicateStories: number;
  mixedStories: number;
  /**
   * Seconds from the fault's end (fault-free: from subscribing) until every item was stored and
   * placed; null: not within the settle cap.
   */
  recoverySeconds: number | null;
  processes: ProcessReport[];
  apiHealthy: boolean;
  /** Services whose /readyz did not answer 200 once things settled, with why. */
  notReady: string[];
  /** The scenario's own checks (Scenario.check) and the suite's: no error logged by any service. */
  problems: string[];
  notes: string[];
  logDir: string;
  wallSeconds: number;
}

/** Waits for every item stored and placed, from `since`; seconds after `since`, or null past `capMs`. */
async function waitForRecovery(ctx: FaultContext, since: number, capMs: number): Promise<number | null> {
  const total = ctx.stack.corpus.items.length;
  const deadline = since + capMs;
  let stoppedWaiting = false;
  for (;;) {
    const progress = await ctx.progress();
    if (progress && progress.stored === total && progress.unplaced === 0 && ctx.stack.feeds.servedFeeds.size === ctx.stack.corpus.feeds.length) {
      return Math.max(0, (Date.now() - since) / 1000);
    }
    // Nothing can make progress when every worker of a kind is gone: waiting longer only costs time.
    for (const kind of ['pollers', 'normalizers'] as const) {
      if (!stoppedWaiting && ctx.stack[kind].length > 0 && ctx.stack[kind].every((s) => !s.alive())) {
        ctx.note(`no ${kind.slice(0, -1)} alive: stopped waiting for recovery`);
        stoppedWaiting = true;
      }
    }
    if (stoppedWaiting || Date.now() > deadline) return null;
    await sleep(KNOBS.probeIntervalMs);
  }
}

async function apiHealthy(stack: Stack): Promise<boolean> {
  try {
    const res = await fetch(`${stack.apiUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function runScenario(scenario: Scenario, runDir: string, template: string): Promise<ScenarioResult> {
  const started = Date.now();
  const stack = await startStack({
    dir: path.join(runDir, scenario.name),
    template,
    corpus: scenario.corpus,
    pollers: scenario.allInOne ? 0 : (scenario.pollers ?? 1),
    normalizers: scenario.allInOne ? 0 : (scenario.normalizers ?? 1),
    ...(scenario.allInOne ? { allInOne: true } : {}),
    ...(scenario.feedDelayMs ? { feedDelayMs: scenario.feedDelayMs } : {}),
    ...(scenario.env ? { env: scenario.env } : {}),
  });
  const notes: string[] = [];
  const ctx: FaultContext = {
    stack,
    note: (text) => notes.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${text}`),
    progress: () => stack.observer.progress(),
    waitFor: async (what, ready, timeoutMs = KNOBS.strikeWaitMs, intervalMs = KNOBS.strikeProbeMs) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        // A probe that fails (Redis or Postgres away for a moment) is a "not yet".
        if (await Promise.resolve().then(ready).catch(() => false)) return true;
        await sleep(intervalMs);
      }
      ctx.note(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
      return false;
    },
  };
  let result: ScenarioResult | undefined;
  try {
    await Promise.all(stack.pollers.map((s) => s.start()));
    if (!scenario.holdNormalizers) await Promise.all(stack.normalizers.map((s) => s.start()));
    // Subscribing once the workers are connected: the control's figure is then ingest time, not boot time.
    const fetchWorkers = scenario.allInOne ? 1 : stack.pollers.length;
    const normalizeWorkers = scenario.allInOne ? 1 : scenario.holdNormalizers ? 0 : stack.normalizers.length;
    await ctx.waitFor(
      'the workers to connect',
      async () => {
        const workers = await stack.workers();
        return workers.fetch >= fetchWorkers && workers.normalize >= normalizeWorkers;
      },
      KNOBS.bootWaitMs,
      KNOBS.probeIntervalMs,
    );
    await (scenario.subscribe ? scenario.subscribe(ctx) : stack.subscribe());
    ctx.note('subscribed');
    await scenario.inject(ctx);
    const faultEnded = Date.now();
    ctx.note('fault over');
    const recoverySeconds = await waitForRecovery(ctx, faultEnded, scenario.faultFree ? KNOBS.ingestCapMs : KNOBS.settleCapMs);
    // Where the work that never arrived is: stalled or failed jobs, or none at all (lost with Redis).
    if (recoverySeconds === null) ctx.note(`jobs left in the queues: ${JSON.stringify(await stack.jobCounts().catch(() => 'Redis unreachable'))}`);
    const measured = await stack.observer.measure(stack.feeds.servedLinks());
    const notReady: string[] = [];
    for (const service of stack.services()) {
      const ready = await stack.readiness(service);
      if (ready?.status !== 200) notReady.push(`${service.name}: ${ready ? JSON.stringify(ready.checks) : 'no answer'}`);
    }
    const logs = await readServiceLogs(stack.logDir);
    const problems = [
      // A fault is a state to say once, not an error per job: nothing the services logged is an error.
      ...logs.filter((l) => l.level >= ERROR).map((l) => `${l.run} logged an error: ${l.msg}: ${String((l.fields.err as { message?: unknown } | undefined)?.message ?? '')}`),
      // Nor did any write to stderr (warnings of Node or a library, a crash's last words).
      ...(await readServiceStderr(stack.logDir)).map((w) => `${w.run} wrote to stderr: ${w.text}`),
      ...(scenario.check?.(logs) ?? []),
    ];
    const errors = groupingErrors(measured.groups, eventOfLink);
    result = {
      name: scenario.name,
      faultFree: scenario.faultFree ?? false,
      corpusItems: scenario.corpus.items.length,
      ...measured,
      matchesExpected: sameGrouping(measured.groups, expectedGroups(scenario.corpus.items)),
      ...errors,
      recoverySeconds,
      processes: stack.services().map((s) => ({ name: s.name, alive: s.alive(), kills: s.kills, unexpectedExits: s.unexpectedExits })),
      apiHealthy: await apiHealthy(stack),
      notReady,
      problems,
      notes,
      logDir: stack.logDir,
      wallSeconds: 0,
    };
    return result;
  } finally {
    // The logs of a scenario that broke a guarantee stay for diagnosis (FAULTS_KEEP_LOGS=1: every scenario's).
    const clean = result !== undefined && isClean(result);
    await stack.teardown(!clean || process.env.FAULTS_KEEP_LOGS === '1');
    if (result) result.wallSeconds = (Date.now() - started) / 1000;
  }
}

/** Every guarantee of a scenario on its own (the comparison with the control run is the caller's). */
export function isClean(r: ScenarioResult): boolean {
  return (
    r.served === r.corpusItems &&
    r.stored === r.served &&
    r.duplicates === 0 &&
    r.unplaced === 0 &&
    r.stray === 0 &&
    r.matchesExpected &&
    r.recoverySeconds !== null &&
    (r.faultFree || r.recoverySeconds * 1000 <= KNOBS.recoveryLimitMs) &&
    r.apiHealthy &&
    r.notReady.length === 0 &&
    r.problems.length === 0 &&
    r.processes.every((p) => p.alive && p.unexpectedExits.length === 0)
  );
}
