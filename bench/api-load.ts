import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { quantile } from './stats.js';

/** The load generator of `pnpm bench api`: autocannon in a child process, and CPU accounting. */

/**
 * A query parameter changed on every request: a random instant in [fromMs, toMs) (whole
 * seconds), so that each request asks for a page no earlier request asked (the uncached path); or
 * a counter, so that each request is a new URL for the same answer (nothing to replay).
 */
export type Vary = { param: string; fromMs: number; toMs: number } | { param: string; sequence: true };

export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  vary?: Vary;
  connections: number;
  warmupS: number;
  durationS: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  mean: number;
  bytes: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** The load generator's own CPU time over the measured window, µs (user + system). */
  cpuUs: number;
}

/** The part of autocannon 7's programmatic API used here (it ships no types). */
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  path: string;
}
type Autocannon = (
  options: {
    url: string;
    headers: Record<string, string>;
    connections: number;
    pipelining: number;
    duration: number;
    timeout: number;
    requests?: { setupRequest: (req: AutocannonRequest) => AutocannonRequest }[];
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

/** For Vary's counter: unique across warm-up and measured window (a URL answered once is replayed the next time). */
let sequence = 0;

/** Runs one scenario: a warm-up (discarded), then the measured window, timing every response itself (sub-millisecond, 304s included). */
async function runLoad(autocannon: Autocannon, req: LoadRequest): Promise<LoadResult> {
  const once = (duration: number, record: boolean) =>
    new Promise<{ result: AutocannonResult; latencies: Float64Array; count: number; bytes: number; statuses: Record<string, number>; seconds: number }>(
      (resolvePromise, reject) => {
        let latencies = new Float64Array(1 << 16);
        let count = 0;
        let bytes = 0;
        const statuses: Record<string, number> = {};
        const started = performance.now();
        const vary = req.vary;
        const requests = vary
          ? [
              {
                setupRequest: (r: AutocannonRequest) => {
                  const path = new URL(r.path, 'http://x');
                  if ('sequence' in vary) path.searchParams.set(vary.param, String((sequence += 1)));
                  else path.searchParams.set(vary.param, new Date(vary.fromMs + Math.floor((Math.random() * (vary.toMs - vary.fromMs)) / 1000) * 1000).toISOString());
                  return { ...r, path: `${path.pathname}${path.search}` };
                },
              },
            ]
          : undefined;
        const instance = autocannon(
          { url: req.url, headers: req.headers, connections: req.connections, pipelining: 1, duration, timeout: 10, ...(requests ? { requests } : {}) },
          (error, result) => {
            if (error) reject(error);
            else resolvePromise({ result, latencies, count, bytes, statuses, seconds: (performance.now() - started) / 1000 });
          },
        );
        if (record) {
          instance.on('response', (_client, statusCode, resBytes, responseTime) => {
            if (count === latencies.length) {
              const grown = new Float64Array(latencies.length * 2);
              grown.set(latencies);
              latencies = grown;
            }
            latencies[count++] = responseTime;
            bytes += resBytes;
            statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
          });
        }
      },
    );
  if (req.warmupS > 0) await once(req.warmupS, false);
  const cpu = process.cpuUsage();
  const run = await once(req.durationS, true);
  const cpuUsed = process.cpuUsage(cpu);
  const sorted = run.latencies.subarray(0, run.count).sort();
  const at = (q: number) => quantile(sorted, q);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    requests: run.count,
    seconds: run.seconds,
    p50: at(0.5),
    p99: at(0.99),
    mean: run.count > 0 ? sum / run.count : NaN,
    bytes: run.bytes,
    statuses: run.statuses,
    errors: run.result.errors,
    timeouts: run.result.timeouts,
    cpuUs: cpuUsed.user + cpuUsed.system,
  };
}

/**
 * CPU time used so far by each Postgres process on this machine (backends, writers), µs by pid,
 * from /proc (Linux; USER_HZ is 100 on every mainstream architecture); null elsewhere. A server on
 * another machine shows as 0.
 */
export function postgresCpuUs(): Map<string, number> | null {
  try {
    const byPid = new Map<string, number>();
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of the line: 12 and 13 after "pid (comm) ".
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10_000);
    }
    return byPid;
  } catch {
    return null;
  }
}

/** CPU the Postgres processes used between two samples (a process that exited meanwhile is not counted). */
export function postgresCpuSince(before: Map<string, number> | null): number | null {
  const after = postgresCpuUs();
  if (before === null || after === null) return null;
  let used = 0;
  for (const [pid, us] of after) used += us - (before.get(pid) ?? 0);
  return used;
}

/**
 * autocannon keeps every response body as a string (`body += chunk` per chunk, for its
 * expectBody/verifyBody options, which this bench does not use): for a 120 KB feed that UTF-8
 * decoding costs the load generator about 2× the server's own CPU per response, on the two cores
 * they share, so the bench measured the generator. Counting bytes and timing responses is all
 * this bench needs; statuses are still checked on every response.
 */
function skipBodyDecoding(require: NodeJS.Require): void {
  const queuePath = require.resolve('autocannon/lib/pipelinedRequestsQueue.js');
  const Queue = require(queuePath) as { prototype: { addBody(data: unknown): void } };
  Queue.prototype.addBody = () => undefined;
}

/** The child's side: run each scenario the parent sends, answer with its result. */
export async function loadChild(): Promise<void> {
  const require = createRequire(import.meta.url);
  const autocannon = require('autocannon') as Autocannon;
  skipBodyDecoding(require);
  process.on('message', (message: { id: number; request: LoadRequest } | { exit: true }) => {
    if ('exit' in message) {
      process.disconnect?.();
      return;
    }
    runLoad(autocannon, message.request).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
    );
  });
  process.send?.({ ready: true });
}

export class LoadGenerator {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id: number; result?: LoadResult; error?: string }) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.result) waiter.resolve(message.result);
      else waiter.reject(new Error(`load generator: ${message.error ?? 'no result'}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
      this.pending.clear();
    });
  }

  static async start(): Promise<LoadGenerator> {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    // Same loader flags (tsx, source conditions) as this process, without its profiling flags.
    const child = fork(main, ['api', '--load-child'], { execArgv: process.execArgv.filter((a) => !a.startsWith('--cpu-prof')) });
    await new Promise<void>((resolvePromise, reject) => {
      child.once('message', () => resolvePromise());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`load generator exited before starting (${code})`)));
    });
    return new LoadGenerator(child);
  }

  run(request: LoadRequest): Promise<LoadResult> {
    const id = ++this.next;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      this.child.send({ id, request });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ exit: true });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}
