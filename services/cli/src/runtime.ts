import type { Redis } from 'ioredis';
import type { Config } from '@newsfold/config';
import { createPool, type Pool } from '@newsfold/db';
import { closeFetcher } from '@newsfold/fetcher';
import { createHealthMonitor, type HealthMonitor } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import { createQueues, createRedis, type Queues } from '@newsfold/queue';
import { CliError } from './cli-error.js';
import { userAgent } from './version.js';

/** The shared connections a command needs, opened once and closed together. */
export interface Runtime {
  config: Config;
  log: Logger;
  pool: Pool;
  redis: Redis;
  queues: Queues;
  health: HealthMonitor;
  close(): Promise<void>;
}

export function openRuntime(config: Config, log: Logger): Runtime {
  const pool = createPool(config.databaseUrl, { max: Math.min(20, config.fetch.concurrency + 4) });
  const redis = createRedis(config.redisUrl);
  // Listens to the pool's idle clients and to Redis, and says once per outage that one of them is
  // unreachable, and once that it is back (not at every reconnect attempt, one a second or so).
  // Services start its periodic probes; a one-shot command only hears from it when something fails.
  const health = createHealthMonitor({ pool, redis, log });
  const queues = createQueues(redis, config.queuePrefix);
  return {
    config,
    log,
    pool,
    redis,
    queues,
    health,
    close: async () => {
      health.stop();
      // Not connected (Redis down or REDIS_URL wrong): the queues have nothing to flush, and
      // closing them would wait for a connection that never comes.
      if (redis.status === 'ready') await queues.close();
      redis.disconnect();
      await pool.end();
      await closeFetcher();
    },
  };
}

export function fetchOptions(config: Config) {
  return {
    timeoutMs: config.fetch.timeoutMs,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
    allowPrivateNetworks: config.fetch.allowPrivateNetworks,
    userAgent: userAgent(config.publicUrl),
  };
}

export function pollBounds(config: Config) {
  return { minMs: config.poll.minIntervalMs, maxMs: config.poll.maxIntervalMs };
}

/**
 * Waits for Redis, for a one-shot command that queues work: the connection retries for ever
 * (BullMQ needs it to), so without this a command run while Redis is down would hang.
 */
export async function requireRedis(rt: Runtime, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    if ((await Promise.race([rt.redis.ping().then(() => 'ok' as const), late])) === 'late') {
      throw new CliError('redis_unreachable', `no answer from Redis in ${timeoutMs / 1000} s: is it running, and REDIS_URL right?`);
    }
  } finally {
    clearTimeout(timer);
  }
}
