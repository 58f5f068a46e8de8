import type { Redis } from 'ioredis';
import type { Config } from '@newsfold/config';
import { createPool, type Pool } from '@newsfold/db';
import { closeFetcher } from '@newsfold/fetcher';
import type { Logger } from '@newsfold/logging';
import { createQueues, createRedis, type Queues } from '@newsfold/queue';
import { userAgent } from './version.js';

/** The shared connections a command needs, opened once and closed together. */
export interface Runtime {
  config: Config;
  log: Logger;
  pool: Pool;
  redis: Redis;
  queues: Queues;
  close(): Promise<void>;
}

export function openRuntime(config: Config, log: Logger): Runtime {
  const pool = createPool(config.databaseUrl, { max: Math.min(20, config.fetch.concurrency + 4) });
  pool.on('error', (error) => log.error({ err: error }, 'idle Postgres connection failed'));
  const redis = createRedis(config.redisUrl);
  redis.on('error', (error) => log.warn({ err: error.message }, 'Redis connection problem'));
  const queues = createQueues(redis, config.queuePrefix);
  return {
    config,
    log,
    pool,
    redis,
    queues,
    close: async () => {
      await queues.close();
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
