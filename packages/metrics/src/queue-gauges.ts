import type { GaugeFamily } from './render.js';

/** A BullMQ queue, structurally: its name and job counts. */
export interface QueueLike {
  name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused', 'failed'] as const;

/** `newsfold_queue_jobs{queue,state}`: each queue's jobs per state, one getJobCounts call per queue. */
export async function queueGauges(queues: readonly QueueLike[]): Promise<GaugeFamily> {
  const counts = await Promise.all(queues.map(async (queue) => [queue.name, await queue.getJobCounts(...QUEUE_STATES)] as const));
  return {
    name: 'newsfold_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, at scrape time.',
    samples: counts.flatMap(([queue, byState]) => QUEUE_STATES.map((state) => ({ labels: { queue, state }, value: byState[state] ?? 0 }))),
  };
}
