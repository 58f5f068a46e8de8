import type { Logger } from '@newsfold/logging';
import { isConnectionError, isPoolTimeout } from './connection-error.js';

export type Dependency = 'postgres' | 'redis';

/** 'ok', or why not. */
export type CheckResult = 'ok' | string;

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** What a service needs from the monitor: somewhere to send the errors it hits. */
export interface HealthReporter {
  /**
   * Hands over an error a service hit. When it is a connection failure (isConnectionError), the
   * monitor probes at once and says, in one line per change, what is down; the caller should then
   * log it no louder than debug. Returns whether it was one.
   */
  report(error: unknown): boolean;
}

export interface HealthMonitor extends HealthReporter {
  /** Probes Postgres and Redis now (joining a probe already under way) and runs the added checks. */
  check(): Promise<Readiness>;
  /** A check of the service's own (its worker still running, its loop still turning); returns its removal. */
  addCheck(name: string, check: () => CheckResult): () => void;
  /** Probes every `intervalMs` (every `downIntervalMs` while something is down) until stop(). */
  start(): void;
  stop(): void;
}

/** The parts of a pg.Pool the monitor uses: a query to probe with, and its idle clients' errors. */
export interface MonitoredPool {
  query(sql: string): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The parts of an ioredis client the monitor uses. */
export interface MonitoredRedis {
  readonly status: string;
  ping(): Promise<string>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

export interface HealthMonitorOptions {
  pool: MonitoredPool;
  redis: MonitoredRedis;
  log: Logger;
  intervalMs?: number;
  downIntervalMs?: number;
  probeTimeoutMs?: number;
}

const NAMES: Record<Dependency, { name: string; setting: string }> = {
  postgres: { name: 'Postgres', setting: 'DATABASE_URL' },
  redis: { name: 'Redis', setting: 'REDIS_URL' },
};

interface State {
  up: boolean;
  reason: string;
  since: number;
}

/**
 * Knows whether Postgres and Redis answer, and says so once per change: "Postgres unreachable
 * (check DATABASE_URL): …" when it stops answering, "Postgres reachable again" when it is back, instead
 * of a stack trace for every job, tick and reconnect attempt meanwhile. Services hand it the
 * connection errors they hit (report); it also listens to the pool's idle clients and to the Redis
 * client, and probes both on an interval. Readiness (/readyz) reads from it.
 *
 * Probing Redis never queues commands behind a dead connection: a client that is not connected is
 * down without a PING, and a PING still unanswered is not sent again.
 */
export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { log } = options;
  const intervalMs = options.intervalMs ?? 5_000;
  const downIntervalMs = options.downIntervalMs ?? 1_000;
  const timeoutMs = options.probeTimeoutMs ?? 2_000;
  const state: Record<Dependency, State> = {
    postgres: { up: true, reason: 'ok', since: Date.now() },
    redis: { up: true, reason: 'ok', since: Date.now() },
  };
  const lastError: Record<Dependency, string | null> = { postgres: null, redis: null };
  const checks = new Map<string, () => CheckResult>();
  let probing: Promise<void> | null = null;
  let pingInFlight: { since: number } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const set = (dependency: Dependency, result: CheckResult) => {
    const s = state[dependency];
    const up = result === 'ok';
    if (up === s.up) {
      s.reason = result;
      return;
    }
    const { name, setting } = NAMES[dependency];
    const now = Date.now();
    if (up) log.info({ dependency, downForS: Math.round((now - s.since) / 1000) }, `${name} reachable again`);
    else log.warn({ dependency, reason: result }, `${name} unreachable (check ${setting}): ${result}`);
    state[dependency] = { up, reason: result, since: now };
  };

  const withTimeout = async (work: Promise<unknown>): Promise<CheckResult> => {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        work,
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return 'ok';
    } catch (error) {
      return (error as Error).message || 'unreachable';
    } finally {
      clearTimeout(timeout);
    }
  };

  const probePostgres = () => withTimeout(options.pool.query('SELECT 1'));

  const probeRedis = async (): Promise<CheckResult> => {
    // A connection being made (at start, or after an outage) is given the probe's time to finish.
    if (options.redis.status === 'connect' || options.redis.status === 'connecting') {
      let onReady = () => undefined as void;
      try {
        await withTimeout(new Promise<void>((resolve) => options.redis.once('ready', (onReady = resolve))));
      } finally {
        options.redis.off('ready', onReady);
      }
    }
    if (options.redis.status !== 'ready') return `not connected (${lastError.redis ?? options.redis.status})`;
    if (pingInFlight) return `no answer to PING for ${Math.round((Date.now() - pingInFlight.since) / 1000)} s`;
    const ping = { since: Date.now() };
    pingInFlight = ping;
    return withTimeout(
      options.redis.ping().finally(() => {
        if (pingInFlight === ping) pingInFlight = null;
      }),
    );
  };

  const probe = (): Promise<void> => {
    probing ??= (async () => {
      try {
        const [postgres, redis] = await Promise.all([probePostgres(), probeRedis()]);
        set('postgres', postgres);
        set('redis', redis);
      } finally {
        probing = null;
      }
    })();
    return probing;
  };

  const schedule = () => {
    if (!running) return;
    const wait = state.postgres.up && state.redis.up ? intervalMs : downIntervalMs;
    timer = setTimeout(() => {
      void probe().finally(schedule);
    }, wait);
    timer.unref();
  };

  // The pool's idle clients and the Redis client emit 'error' when their connection drops; an
  // 'error' nobody listens to would end the process.
  options.pool.on('error', (error) => {
    lastError.postgres = error.message;
    log.debug({ err: error.message }, 'idle Postgres connection failed');
    void probe();
  });
  options.redis.on('error', (error) => {
    lastError.redis = error.message;
    log.debug({ err: error.message }, 'Redis connection problem');
    // A client retrying for ever says so at every attempt: only the first of an outage probes.
    if (state.redis.up) void probe();
  });

  return {
    report(error) {
      if (isConnectionError(error)) {
        void probe();
        return true;
      }
      // A pool out of clients is a problem of its own, worth its stack, unless Postgres is away.
      if (isPoolTimeout(error)) {
        void probe();
        return !state.postgres.up;
      }
      return false;
    },
    async check() {
      await probe();
      const results: Record<string, CheckResult> = { postgres: state.postgres.reason, redis: state.redis.reason };
      for (const [name, run] of checks) {
        try {
          results[name] = run();
        } catch (error) {
          results[name] = (error as Error).message;
        }
      }
      return { ready: Object.values(results).every((r) => r === 'ok'), checks: results };
    },
    addCheck(name, run) {
      checks.set(name, run);
      return () => {
        if (checks.get(name) === run) checks.delete(name);
      };
    },
    start() {
      if (running) return;
      running = true;
      void probe().finally(schedule);
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
  };
}
