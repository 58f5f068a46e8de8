import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until `done` holds, checking every `everyMs`; throws, naming `what`, after `timeoutMs`. */
export async function until(what: string, done: () => boolean | Promise<boolean>, options: { timeoutMs?: number; everyMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(options.everyMs ?? 50);
  }
}
