import { KNOBS } from './knobs.js';

export const ADMIN_TOKEN = 'fault-suite-admin-token-0123456789';
export const QUEUE_PREFIX = 'faults';

/**
 * The environment of every newsfold process the suite starts: only what it sets (nothing of the
 * test runner's own, such as TEST_DATABASE_URL), with a schedule short enough that a feed is
 * fetched again within seconds.
 */
export function serviceEnv(options: { databaseUrl: string; redisUrl: string; apiPort: number; extra?: Record<string, string> }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX,
    PORT: String(options.apiPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${options.apiPort}`,
    ADMIN_TOKEN,
    FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    FETCH_TIMEOUT_MS: String(KNOBS.fetchTimeoutMs),
    // Every feed is on one loopback host: the per-host politeness limit would serialise them.
    FETCH_PER_HOST: '16',
    POLL_MIN_INTERVAL: KNOBS.pollMinInterval,
    POLL_MAX_INTERVAL: KNOBS.pollMaxInterval,
    STARTER_FEEDS: 'false',
    LOG_LEVEL: 'info',
    ...options.extra,
  };
}
