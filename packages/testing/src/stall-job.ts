import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, type ConnectionOptions } from 'bullmq';

/**
 * What a job goes through when the workers running it die, `times` times over: each time a worker
 * takes it and never renews its lock (a process killed with -9), and the stall check puts it back,
 * until BullMQ marks it failed for stalling more than once. Done with a worker of short locks, and
 * the stall check run by hand (BullMQ runs it on a timer, at most once a stalledInterval: the first
 * pass marks the active job, the next moves it when its lock has lapsed since). Returns the id of
 * each job taken, which should be the same one.
 */
export async function stallJob(options: { connection: ConnectionOptions; prefix: string; queue: string; times: number }): Promise<string[]> {
  const crashing = new Worker(options.queue, null, { connection: options.connection, prefix: options.prefix, lockDuration: 200, stalledInterval: 200, maxStalledCount: 1 });
  // Private in BullMQ's types; the worker's own timer calls it.
  const check = crashing as unknown as { moveStalledJobsToWait(): Promise<void> };
  const taken: string[] = [];
  try {
    for (let death = 0; death < options.times; death++) {
      let job = await crashing.getNextJob(randomUUID(), { block: false });
      for (let i = 0; !job && i < 50; i++) job = await sleep(100).then(() => crashing.getNextJob(randomUUID(), { block: false }));
      taken.push(job?.id ?? '(none)');
      await check.moveStalledJobsToWait();
      await sleep(300);
      await check.moveStalledJobsToWait();
    }
  } finally {
    await crashing.close(true);
  }
  return taken;
}
