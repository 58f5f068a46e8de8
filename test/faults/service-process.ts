import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { guardExit } from './exit-guard.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * As the image runs the CLI: compiled (`pnpm build`; `pnpm test:faults` builds first), one process
 * per service. Compiling the sources at every start, as tsx does, costs about 1.5 s of CPU more per
 * process, and the suite starts dozens of them on a shared machine.
 */
const NODE_ARGS = ['services/cli/dist/main.js'];

/** `all`: the api, a poller and a normalizer in one process, as `pnpm start` runs them. */
export type ServiceKind = 'api' | 'poller' | 'normalizer' | 'all';

/** Kinds that serve the API (and its /healthz and /readyz) on PORT. */
const servesApi = (kind: ServiceKind) => kind === 'api' || kind === 'all';

export interface ExitRecord {
  at: number;
  code: number | null;
  signal: string | null;
  /** The start of what it wrote to stderr (a service writes there only when it crashes): the reason. */
  stderr: string;
}

/**
 * One service as a child process. The harness kills it with SIGKILL and starts it again, as
 * Docker's restart policy would; any other exit is recorded as unexpected and not restarted.
 */
export interface ServiceProcess {
  name: string;
  kind: ServiceKind;
  alive(): boolean;
  /** Exits the harness did not cause. */
  unexpectedExits: ExitRecord[];
  kills: number;
  /**
   * Where the current run answers /healthz and /readyz: the api's port, or the port a poller or
   * normalizer says it took (HEALTH_PORT=0: any free one, so that parallel scenarios never race
   * for one); null until it has said so.
   */
  healthPort(): Promise<number | null>;
  start(): Promise<void>;
  /** kill -9, then waits for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), at the end of a scenario. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  name: string;
  kind: ServiceKind;
  env: Record<string, string>;
  logDir: string;
  /** The api's port, to wait for /healthz after a start. */
  port?: number;
}

async function head(file: string, chars = 4_000): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.slice(0, chars);
}

/** Opens the log files of one run of a process: stdout (JSON log lines) and stderr apart. */
async function logFiles(logDir: string, name: string, run: number) {
  const base = path.join(logDir, `${name}.${run}`);
  const out = await open(`${base}.out.log`, 'a');
  const err = await open(`${base}.err.log`, 'a');
  return { out, err, errPath: `${base}.err.log` };
}

export function createService(options: ServiceOptions): ServiceProcess {
  // The current run, and whether its exit is one the harness asked for.
  let current: { child: ChildProcess; expected: boolean } | null = null;
  let runs = 0;
  const unexpectedExits: ExitRecord[] = [];
  const unguard = guardExit(() => {
    current?.child.kill('SIGKILL');
  });
  const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  const endRun = async (signal: NodeJS.Signals) => {
    const run = current;
    if (!run || !isRunning(run.child)) return;
    run.expected = true;
    const exited = once(run.child, 'exit');
    run.child.kill(signal);
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => run.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const service: ServiceProcess = {
    name: options.name,
    kind: options.kind,
    unexpectedExits,
    kills: 0,
    healthPort: async () => {
      if (servesApi(options.kind)) return options.port ?? null;
      const said = (await readFile(path.join(options.logDir, `${options.name}.${runs}.out.log`), 'utf8').catch(() => ''))
        .split('\n')
        .find((line) => line.includes('"msg":"health checks at /healthz and /readyz"'));
      const port = said ? (JSON.parse(said) as { port?: unknown }).port : undefined;
      return typeof port === 'number' ? port : null;
    },
    alive: () => current !== null && isRunning(current.child),
    start: async () => {
      runs += 1;
      const files = await logFiles(options.logDir, options.name, runs);
      const child = spawn(process.execPath, [...NODE_ARGS, options.kind], {
        cwd: REPO_ROOT,
        env: servesApi(options.kind) ? options.env : { ...options.env, HEALTH_PORT: '0' },
        stdio: ['ignore', files.out.fd, files.err.fd],
      });
      await Promise.all([files.out.close(), files.err.close()]);
      const run = { child, expected: false };
      current = run;
      child.once('exit', (code, signal) => {
        if (run.expected) return;
        void head(files.errPath).then((stderr) => unexpectedExits.push({ at: Date.now(), code, signal, stderr }));
      });
      if (servesApi(options.kind) && options.port !== undefined) await waitForHealth(options.port, child, files.errPath);
    },
    kill9: async () => {
      if (!service.alive()) return;
      service.kills += 1;
      await endRun('SIGKILL');
    },
    stop: async () => {
      await endRun('SIGTERM');
      unguard();
    },
  };
  return service;
}

async function waitForHealth(port: number, child: ChildProcess, errPath: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`api exited while starting (${child.exitCode ?? child.signalCode}): ${await head(errPath)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`api on port ${port} did not answer /healthz within 90 s`);
}

/** A one-shot command (`migrate`), to completion; throws with its stderr when it fails. */
export async function runCommand(args: string[], env: Record<string, string>, logDir: string, name: string): Promise<void> {
  const files = await logFiles(logDir, name, 1);
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', files.out.fd, files.err.fd] });
  await Promise.all([files.out.close(), files.err.close()]);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`newsfold ${args.join(' ')} exited with ${code}: ${await head(files.errPath)}`);
}
