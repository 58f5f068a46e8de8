/**
 * When to fetch a feed next. Pure, so the policy is tested without clocks or servers.
 *
 * Healthy feeds: about one fetch per expected new entry (postingInterval), clamped to [min, max], and never sooner than the feed or server asked (RSS <ttl>, Cache-Control
 * max-age, Expires). Failing feeds: exponential backoff with jitter from the minimum interval,
 * capped at the maximum, and never sooner than a Retry-After (itself capped at the maximum).
 */

const WEEK_MS = 7 * 24 * 3_600_000;

export interface IntervalBounds {
  minMs: number;
  maxMs: number;
}

export function clamp(ms: number, bounds: IntervalBounds): number {
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, ms));
}

/**
 * Interval from the entries' publication dates: the time they cover divided by how many there
 * are. That time is the last week when the feed reaches back past it (the weekly rate), else the
 * span from its oldest entry to now: a feed that keeps only its last 40 items, posted every 15
 * minutes, covers ten hours, and fetching it daily would let most of them scroll away unseen.
 */
export function postingInterval(dates: (Date | null)[], now: Date, bounds: IntervalBounds): number {
  const nowMs = now.getTime();
  const times = dates
    .filter((d): d is Date => d !== null && !Number.isNaN(d.getTime()))
    .map((d) => d.getTime())
    .filter((t) => t <= nowMs);
  const lastWeek = times.filter((t) => nowMs - t <= WEEK_MS);
  if (lastWeek.length === 0) return bounds.maxMs;
  const reachesPastWeek = times.length > lastWeek.length;
  const covered = reachesPastWeek ? WEEK_MS : nowMs - Math.min(...lastWeek);
  return clamp(covered / lastWeek.length, bounds);
}

/**
 * The interval to keep after a successful fetch. A changed feed: from its entries' dates
 * (postingInterval) when any entry has one; a feed without dates cannot say how often it posts,
 * so its interval halves each time it changed. An unchanged feed (304, or the same body) was
 * fetched too early: the interval grows by a quarter. Both clamped to [min, max].
 */
export function adaptInterval(
  previousMs: number,
  fetched: { changed: false } | { changed: true; dates: (Date | null)[] },
  now: Date,
  bounds: IntervalBounds,
): number {
  if (!fetched.changed) return clamp(Math.round(previousMs * 1.25), bounds);
  if (fetched.dates.some((d) => d !== null && !Number.isNaN(d.getTime()))) return postingInterval(fetched.dates, now, bounds);
  return clamp(Math.round(previousMs / 2), bounds);
}

/** The earliest a server allows the next fetch: Cache-Control max-age or Expires, in ms from now. */
export function serverMinimumMs(headers: Headers, now: Date): number {
  const cacheControl = headers.get('cache-control') ?? '';
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  if (maxAge?.[1]) return Number(maxAge[1]) * 1000;
  const expires = headers.get('expires');
  if (expires) {
    const at = Date.parse(expires);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  return 0;
}

export function nextFetchAfterSuccess(
  now: Date,
  options: { intervalMs: number; ttlMinutes?: number | null; serverMinimumMs?: number; bounds: IntervalBounds },
): Date {
  const floor = Math.max((options.ttlMinutes ?? 0) * 60_000, options.serverMinimumMs ?? 0);
  // The server's own minimum may exceed our max, but never by more than the max again.
  const ms = Math.max(clamp(options.intervalMs, options.bounds), Math.min(floor, options.bounds.maxMs * 2));
  return new Date(now.getTime() + ms);
}

export function nextFetchAfterError(
  now: Date,
  options: { errorCount: number; retryAfterMs?: number | null; bounds: IntervalBounds; random?: () => number },
): Date {
  const exponent = Math.min(options.errorCount, 20);
  const base = clamp(options.bounds.minMs * 2 ** exponent, options.bounds);
  // ±20 % so feeds that failed together (one host down) do not retry in lockstep.
  const jitter = 1 + ((options.random ?? Math.random)() * 0.4 - 0.2);
  const backoff = Math.min(options.bounds.maxMs, Math.round(base * jitter));
  const retryAfter = Math.min(options.retryAfterMs ?? 0, options.bounds.maxMs);
  return new Date(now.getTime() + Math.max(backoff, retryAfter));
}

/**
 * How long a feed claimed by a scheduler tick waits for its fetch before a tick claims it again.
 * Claiming again queues a fetch job under the feed's job id, which does nothing while the first is
 * still waiting or running, so a short lease costs nothing and bounds how long a feed whose job
 * Redis lost (wiped, restarted without persistence) goes unfetched.
 */
export const FETCH_LEASE_MS = 20_000;

/**
 * How long `poll --once` holds the feeds it fetches itself, outside the queue: three fetch
 * timeouts (a slow host, retries of a per-host slot) and a minute, so that a running poller does
 * not fetch them a second time meanwhile.
 */
export function inProcessFetchLeaseMs(fetchTimeoutMs: number): number {
  return fetchTimeoutMs * 3 + 60_000;
}
