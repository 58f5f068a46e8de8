import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets. Connection strings embed passwords; the admin token arrives in
 * an Authorization header. Redaction happens in pino itself, so no call site has to remember.
 */
const REDACT = [
  'config.adminToken',
  'config.databaseUrl',
  'config.redisUrl',
  'adminToken',
  'databaseUrl',
  'redisUrl',
  'req.headers.authorization',
  'headers.authorization',
  '*.password',
];

export function createLogger(options: { level: string; name?: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.name ?? 'newsfold' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
