import { NewsfoldError } from '@newsfold/errors';
import { configSchema } from './schema.js';

/** Validated configuration, in the units the code uses (milliseconds, booleans, numbers). */
export interface Config {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  port: number;
  host: string;
  /** Where the poller and the normalizer, run on their own, answer /healthz and /readyz (HOST too); unset: nowhere. */
  healthPort: number | undefined;
  publicUrl: string;
  adminToken: string | undefined;
  fetch: {
    allowPrivateNetworks: boolean;
    timeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
    concurrency: number;
    perHost: number;
  };
  poll: { minIntervalMs: number; maxIntervalMs: number };
  storyWindowMs: number;
  /** How often, at most, the settle pass re-groups the last day's stories (when nothing is pending and stories changed). */
  settleIntervalMs: number;
  starterFeeds: boolean;
  /** Story reads that miss every cache, per second per client address (bursts of ten seconds' worth); 0: no limit. */
  apiReadRate: number;
  /** Reverse proxies in front of the API whose X-Forwarded-For is trusted (0: none; the socket's address counts). */
  apiTrustProxy: number;
  logLevel: string;
}

export class ConfigError extends NewsfoldError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('invalid_config', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      permanent: true,
    });
    this.problems = problems;
  }
}

/**
 * Validates the environment once, at start. Every problem is reported in one error, so an
 * operator fixes their .env in one pass instead of one restart per mistake. Empty strings count
 * as unset: compose files often pass `VAR=` for "use the default".
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`),
    );
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    queuePrefix: c.QUEUE_PREFIX,
    port: c.PORT,
    host: c.HOST,
    healthPort: c.HEALTH_PORT,
    publicUrl: c.PUBLIC_URL,
    adminToken: c.ADMIN_TOKEN,
    fetch: {
      allowPrivateNetworks: c.FETCH_ALLOW_PRIVATE_NETWORKS,
      timeoutMs: c.FETCH_TIMEOUT_MS,
      maxBytes: c.FETCH_MAX_BYTES,
      maxRedirects: c.FETCH_MAX_REDIRECTS,
      concurrency: c.FETCH_CONCURRENCY,
      perHost: c.FETCH_PER_HOST,
    },
    poll: { minIntervalMs: c.POLL_MIN_INTERVAL, maxIntervalMs: c.POLL_MAX_INTERVAL },
    storyWindowMs: c.STORY_WINDOW,
    settleIntervalMs: c.SETTLE_INTERVAL,
    starterFeeds: c.STARTER_FEEDS,
    apiReadRate: c.API_READ_RATE,
    apiTrustProxy: c.API_TRUST_PROXY,
    logLevel: c.LOG_LEVEL,
  };
}
