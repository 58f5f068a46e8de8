import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a duration such as 90s, 5m or 24h, got "${text}"` });
        return z.NEVER;
      }
      return ms;
    });

const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const url = (protocols: string[], fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (text) => {
        try {
          return protocols.includes(new URL(text).protocol);
        } catch {
          return false;
        }
      },
      { message: `expected a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL` },
    );

/**
 * Every option newsfold reads from the environment, with its default and validation. This is the
 * one table of configuration (the README mirrors it); nothing else reads process.env.
 */
export const configSchema = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/newsfold'),
    REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('newsfold'),
    PORT: integer(8080, 0, 65535),
    HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: url(['http:', 'https:'], 'http://localhost:8080').transform((u) => u.replace(/\/+$/, '')),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    FETCH_ALLOW_PRIVATE_NETWORKS: boolean(false),
    FETCH_TIMEOUT_MS: integer(20_000, 100, 600_000),
    FETCH_MAX_BYTES: integer(15_728_640, 1024, 1_073_741_824),
    FETCH_MAX_REDIRECTS: integer(5, 0, 20),
    FETCH_CONCURRENCY: integer(32, 1, 1000),
    FETCH_PER_HOST: integer(2, 1, 100),
    POLL_MIN_INTERVAL: duration('5m'),
    POLL_MAX_INTERVAL: duration('24h'),
    STORY_WINDOW: duration('72h'),
    SETTLE_INTERVAL: duration('5m'),
    STARTER_FEEDS: boolean(true),
    API_READ_RATE: integer(20, 0, 1_000_000),
    API_TRUST_PROXY: integer(0, 0, 10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.POLL_MIN_INTERVAL > c.POLL_MAX_INTERVAL) {
      ctx.addIssue({
        code: 'custom',
        path: ['POLL_MIN_INTERVAL'],
        message: 'must not exceed POLL_MAX_INTERVAL',
      });
    }
  });

export type RawConfig = z.output<typeof configSchema>;
