/**
 * Errors that mean "could not talk to Postgres or Redis" rather than "this piece of work is wrong":
 * a refused or reset connection, a connection that ended, Postgres shutting down or starting up,
 * a pool that could not connect in time, Redis' client giving up on a command. Such failures are a
 * state of the dependency, said once by the health monitor, not a stack trace per job.
 */
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // Postgres: admin_shutdown, crash_shutdown, cannot_connect_now, the connection_exception class,
  // too_many_connections.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

// Not "timeout exceeded when trying to connect": pg's pool says that when all its clients are
// busy as much as when Postgres does not answer (HealthMonitor.report counts it only while the
// monitor has found Postgres unreachable).
const MESSAGES = [
  /connection terminated/i,
  /not queryable/i,
  /connection is closed/i,
  /stream isn't writeable/i,
  /reached the max retries per request/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/** pg's pool found no client in time: Postgres away, or every client busy. */
export function isPoolTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);
}

export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.has(code)) return true;
    if (MESSAGES.some((m) => m.test(e instanceof Error ? e.message : ''))) return true;
    // AggregateError (a connect that tried IPv4 and IPv6 and failed on both).
    if (e instanceof AggregateError && e.errors.some((inner) => isConnectionError(inner))) return true;
  }
  return false;
}
