import { loadConfig } from '@newsfold/config';
import { createHealthMonitor } from '@newsfold/health';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@newsfold/testing';
import type { Runtime } from '../runtime.js';

export interface TestRuntime {
  rt: Runtime;
  db: TestDatabase;
  redis: TestRedis;
  /** Closes the connections and drops the database and the queue prefix. */
  drop(): Promise<void>;
}

/**
 * What a one-shot command gets from openRuntime, on a database and queue prefix of its own, with
 * the configuration the environment `env` adds to (private networks allowed: test feeds are on
 * loopback). `redisUrl`: reach the test Redis some other way (through a proxy a test can cut).
 */
export async function createTestRuntime(env: Record<string, string> = {}, options: { redisUrl?: string } = {}): Promise<TestRuntime> {
  const db = await createTestDatabase();
  const redis = createTestRedis();
  const connection = createRedis(options.redisUrl ?? redis.url);
  const queues = createQueues(connection, redis.prefix);
  const config = loadConfig({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, FETCH_ALLOW_PRIVATE_NETWORKS: 'true', ...env });
  const close = async () => {
    await queues.close();
    connection.disconnect();
  };
  const log = createLogger({ level: 'silent' });
  const health = createHealthMonitor({ pool: db.pool, redis: connection, log });
  const rt: Runtime = { config, log, pool: db.pool, redis: connection, queues, health, close };
  return {
    rt,
    db,
    redis,
    drop: async () => {
      await close();
      await redis.cleanup();
      await db.drop();
    },
  };
}
