import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { NewsfoldError } from '@newsfold/errors';
import { FeedParseError, parseFeed, type ParsedEntry, type ParsedFeed, type ParseOptions } from '@newsfold/feed-parser';
import type { FromWorker, ToWorker, WireError } from './parse-protocol.js';

/**
 * Parses large feed bodies on worker threads, so a 50 MB feed neither blocks the event loop (the
 * poller's BullMQ lock renewal, other fetch jobs and scheduler tick; the API's other requests while
 * it probes a feed being subscribed) nor takes the process down: a parse that
 * runs past its deadline has its thread terminated (`parse_timeout`), a thread that crashes or runs
 * out of heap fails only its own parse (`parse_crashed`), and the pool starts a fresh thread for the
 * next body. Small bodies, the vast majority, are parsed inline: a thread round trip would cost more
 * than the parse.
 */

export interface ParseHints {
  /**
   * The caller hands the body over and will not read it again: a body that owns its whole
   * ArrayBuffer is then moved to the thread as it is (detached here) instead of copied, which for
   * 50 MB saves a copy that alone would hold the event loop for a good part of a second.
   */
  transfer?: boolean;
}

export type ParseFn = (body: Uint8Array, options: ParseOptions, hints?: ParseHints) => Promise<ParsedFeed>;

export interface ParsePoolOptions {
  /** Threads at most (default: 2, or 1 on a machine with two cores or fewer). */
  maxThreads?: number;
  /** Bodies of at least this many bytes go to a thread (default 1 MiB); smaller ones parse inline. */
  threadMinBytes?: number;
  /**
   * A threaded parse taking longer is abandoned and its thread terminated (default 60 s). Counted
   * from when the thread starts on the body: a thread still booting on a loaded machine is not the
   * feed's fault (booting gets a deadline of its own, 30 s or this if longer).
   */
  timeoutMs?: number;
  /** An idle thread is stopped after this long (default 30 s), returning its memory. */
  idleMs?: number;
  /** Old-generation heap limit per thread (default 1024 MB): a runaway parse fails alone. */
  maxHeapMb?: number;
}

export interface ParsePoolStats {
  threads: number;
  busy: number;
  queued: number;
}

export interface ParsePool {
  parse: ParseFn;
  stats(): ParsePoolStats;
  /** Terminates the threads; parses still queued or running fail with `parse_pool_closed`. */
  close(): Promise<void>;
}

export const DEFAULT_THREAD_MIN_BYTES = 1024 * 1024;

/** A thread that has not taken its body by then is stuck, whatever the parse deadline. */
const BOOT_DEADLINE_MS = 30_000;

interface Task {
  id: number;
  body: Uint8Array;
  transfer: boolean;
  options: ParseOptions;
  resolve: (feed: ParsedFeed) => void;
  reject: (error: Error) => void;
  head: Omit<ParsedFeed, 'entries'> | null;
  entries: ParsedEntry[];
  timer: NodeJS.Timeout | null;
}

interface Thread {
  worker: Worker;
  task: Task | null;
  idleTimer: NodeJS.Timeout | null;
  /** Set when the pool itself ends the thread, so its exit is not reported as a crash. */
  retiring: boolean;
}

const HERE = import.meta.url;
/** Running from TypeScript sources (tsx, vitest) rather than compiled dist/*.js. */
const FROM_SOURCE = HERE.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './parse-worker.ts' : './parse-worker.js', HERE);

/**
 * How a thread is started. Compiled JavaScript: the worker file itself, with the parent's Node
 * options (Node's default). TypeScript sources (tsx, vitest): Node 20 ignores module hooks given
 * in a Worker's execArgv (`--import tsx`; nodejs/node#47747), so a small bootstrap registers tsx in
 * the thread first, then imports the worker module. tsx is resolved from this file, so the working
 * directory does not matter.
 */
function workerSource(): { source: string | URL; options: WorkerOptions } {
  if (!FROM_SOURCE) return { source: WORKER_URL, options: {} };
  const require = createRequire(HERE);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as { exports?: Record<string, unknown> };
  const entry = manifest.exports?.['./esm/api'] as { import?: { default?: string } } | undefined;
  const api = entry?.import?.default ? new URL(entry.import.default, pathToFileURL(manifestPath)).href : 'tsx/esm/api';
  const bootstrap = [
    '(async () => {',
    `  const { register } = await import(${JSON.stringify(api)});`,
    '  register();',
    `  await import(${JSON.stringify(WORKER_URL.href)});`,
    '})().catch((error) => setImmediate(() => { throw error; }));',
  ].join('\n');
  return { source: bootstrap, options: { eval: true, execArgv: ['--conditions=newsfold-source'] } };
}

function defaultMaxThreads(): number {
  return availableParallelism() > 2 ? 2 : 1;
}

function fromWire(error: WireError): Error {
  if (error.name === 'FeedParseError' && (error.code === 'not_a_feed' || error.code === 'invalid_feed')) {
    return new FeedParseError(error.code, error.message);
  }
  if (error.code !== null) return new NewsfoldError(error.code, error.message, { permanent: error.permanent });
  // An unexpected exception in the parser: a per-feed failure, not a reason to fail the job.
  return new NewsfoldError('parse_crashed', `feed parser failed: ${error.name}: ${error.message}`);
}

export function createParsePool(options: ParsePoolOptions = {}): ParsePool {
  const maxThreads = Math.max(1, Math.floor(options.maxThreads ?? defaultMaxThreads()));
  const threadMinBytes = options.threadMinBytes ?? DEFAULT_THREAD_MIN_BYTES;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const bootMs = Math.max(timeoutMs, BOOT_DEADLINE_MS);
  const idleMs = options.idleMs ?? 30_000;
  const maxHeapMb = options.maxHeapMb ?? 1024;
  const start = workerSource();

  const threads = new Set<Thread>();
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;

  function finish(thread: Thread, task: Task, outcome: { feed: ParsedFeed } | { error: Error }): void {
    if (thread.task !== task) return;
    if (task.timer) clearTimeout(task.timer);
    thread.task = null;
    if ('feed' in outcome) task.resolve(outcome.feed);
    else task.reject(outcome.error);
    if (!thread.retiring) {
      thread.worker.unref();
      thread.idleTimer = setTimeout(() => void retire(thread), idleMs);
      thread.idleTimer.unref();
    }
    dispatch();
  }

  function retire(thread: Thread): Promise<unknown> {
    if (!thread.retiring) {
      thread.retiring = true;
      if (thread.idleTimer) clearTimeout(thread.idleTimer);
      threads.delete(thread);
    }
    // Repeated calls are harmless: they all settle when the thread has exited.
    return thread.worker.terminate().catch(() => undefined);
  }

  /** The thread died under a parse (crash, heap limit) or was terminated: fail that parse, replace the thread. */
  function lost(thread: Thread, error: Error): void {
    const task = thread.task;
    void retire(thread);
    if (task) finish(thread, task, { error });
    else dispatch();
  }

  function onMessage(thread: Thread, message: FromWorker): void {
    const task = thread.task;
    if (!task || task.id !== message.id) return;
    switch (message.type) {
      case 'started':
        arm(thread, task, 'parse');
        return;
      case 'head':
        task.head = message.feed;
        task.entries = [];
        break;
      case 'entries':
        for (const entry of message.entries) task.entries.push(entry);
        break;
      case 'done':
        if (!task.head) {
          finish(thread, task, { error: new NewsfoldError('parse_crashed', 'feed parser thread sent no result') });
          return;
        }
        finish(thread, task, { feed: { ...task.head, entries: task.entries } });
        return;
      case 'error':
        finish(thread, task, { error: fromWire(message.error) });
        return;
    }
    const next: ToWorker = { type: 'next', id: task.id };
    thread.worker.postMessage(next);
  }

  function spawn(): Thread {
    const worker = new Worker(start.source, { ...start.options, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    const thread: Thread = { worker, task: null, idleTimer: null, retiring: false };
    worker.on('message', (message: FromWorker) => onMessage(thread, message));
    worker.on('error', (error) => {
      lost(thread, new NewsfoldError('parse_crashed', `feed parser thread crashed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', (code) => {
      if (thread.retiring && !thread.task) return;
      lost(thread, new NewsfoldError('parse_crashed', `feed parser thread exited with code ${code}`));
    });
    threads.add(thread);
    return thread;
  }

  /**
   * The task's deadline: first for the thread to take the body (booting, for a fresh thread, takes
   * a few hundred ms, more on a loaded machine), then, from `started`, for the parse itself.
   */
  function arm(thread: Thread, task: Task, phase: 'boot' | 'parse'): void {
    if (task.timer) clearTimeout(task.timer);
    const [ms, error] =
      phase === 'boot'
        ? [bootMs, () => new NewsfoldError('parse_crashed', `feed parser thread did not start within ${Math.round(bootMs / 1000)} s`)]
        : [timeoutMs, () => new NewsfoldError('parse_timeout', `parsing the feed took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`)];
    task.timer = setTimeout(() => lost(thread, error()), ms);
  }

  function run(thread: Thread, task: Task): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    thread.task = task;
    thread.worker.ref();
    arm(thread, task, 'boot');
    // The bytes are moved, not cloned, to the thread: the caller's own buffer when it handed it over
    // and the view spans all of it, else a private copy (the caller keeps its body).
    const own = task.body;
    const whole = own.buffer instanceof ArrayBuffer && own.byteOffset === 0 && own.byteLength === own.buffer.byteLength;
    const body = task.transfer && whole ? own : new Uint8Array(own);
    task.body = new Uint8Array();
    const message: ToWorker = { type: 'parse', id: task.id, body, options: task.options };
    thread.worker.postMessage(message, [body.buffer as ArrayBuffer]);
  }

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      let thread: Thread | undefined;
      for (const t of threads) {
        if (!t.task && !t.retiring) {
          thread = t;
          break;
        }
      }
      if (!thread && threads.size < maxThreads) thread = spawn();
      if (!thread) return;
      run(thread, queue.shift() as Task);
    }
  }

  return {
    parse: async (body, parseOptions, hints) => {
      if (body.byteLength < threadMinBytes) return parseFeed(body, parseOptions);
      if (closed) throw new NewsfoldError('parse_pool_closed', 'the feed parser pool is closed');
      return new Promise<ParsedFeed>((resolve, reject) => {
        queue.push({
          id: nextId++,
          body,
          transfer: hints?.transfer === true,
          options: parseOptions,
          resolve,
          reject,
          head: null,
          entries: [],
          timer: null,
        });
        dispatch();
      });
    },
    stats: () => {
      let busy = 0;
      for (const t of threads) if (t.task) busy += 1;
      return { threads: threads.size, busy, queued: queue.length };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      const error = new NewsfoldError('parse_pool_closed', 'the feed parser pool is closed');
      for (const task of queue.splice(0)) task.reject(error);
      await Promise.all(
        [...threads].map(async (thread) => {
          const task = thread.task;
          const exited = retire(thread);
          if (task) finish(thread, task, { error });
          await exited;
        }),
      );
    },
  };
}
