import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { NewsfoldError } from '@newsfold/errors';
import { getFeed, recordFetchError, recordFetchSuccess, storeEntryBatches, withTransaction, type EntryBatchRef, type FeedRow, type Pool } from '@newsfold/db';
import { parseFeed, type ParsedEntry } from '@newsfold/feed-parser';
import { FetchError, fetchFeedDocument, type FetchOptions } from '@newsfold/fetcher';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import type { ParseFn } from '@newsfold/parse-pool';
import { BATCH_LEASE_MS, enqueueBatches, type FetchedEntries, type NormalizeJobData, type WireEntry } from '@newsfold/queue';
import { loggableUrl } from '@newsfold/text';
import { NORMALIZE_CHUNK, toChunks } from './chunk-entries.js';
import { withHostSlot, type HostLimit, type HostSlotRedis } from './host-slots.js';
import { adaptInterval, nextFetchAfterError, nextFetchAfterSuccess, serverMinimumMs, type IntervalBounds } from './schedule.js';

export interface FetchFeedDeps {
  pool: Pool;
  normalizeQueue: Queue<NormalizeJobData>;
  log: Logger;
  fetch: Omit<FetchOptions, 'etag' | 'lastModified'>;
  bounds: IntervalBounds;
  now?: () => Date;
  /**
   * Per-host politeness shared by every replica: with `redis` and `perHost`, at most `perHost`
   * fetches run against one host at a time, counted in Redis under `{prefix}:host:{host}`. When the
   * host stays busy for `hostWaitMs`, fetchFeed throws HostBusyError (the poller re-schedules the
   * job). Without them, fetches are not limited per host.
   */
  redis?: HostSlotRedis;
  perHost?: number;
  /** Redis key prefix for the host slots (the queue prefix; default `newsfold`). */
  prefix?: string;
  /** How long to wait for a slot on a busy host before throwing HostBusyError (default 500 ms). */
  hostWaitMs?: number;
  /** Suggested delay before a busy host is tried again (default 2 s, jittered). */
  hostRetryMs?: number;
  /** Parses a fetched body; defaults to parseFeed inline. The poller passes its thread pool's. */
  parse?: ParseFn;
  /** Counts each outcome (and failures by code) for /metrics. */
  metrics?: Metrics;
  /** Entries per stored batch (default NORMALIZE_CHUNK, chunk-entries.ts). */
  chunkSize?: number;
}

/** Margin on top of the fetch timeout before a crashed holder's host slot expires. */
const HOST_SLOT_MARGIN_MS = 15_000;

function hostLimitOf(deps: FetchFeedDeps): HostLimit | null {
  if (!deps.redis || !deps.perHost || deps.perHost < 1) return null;
  return {
    redis: deps.redis,
    prefix: deps.prefix ?? 'newsfold',
    perHost: deps.perHost,
    ttlMs: deps.fetch.timeoutMs + HOST_SLOT_MARGIN_MS,
    waitMs: deps.hostWaitMs ?? 500,
    retryMs: deps.hostRetryMs ?? 2_000,
  };
}

export type FetchFeedOutcome =
  | { kind: 'skipped'; reason: 'missing' | 'disabled' }
  | { kind: 'not-modified' }
  | { kind: 'unchanged' }
  | { kind: 'enqueued'; entries: number; batches: number }
  | { kind: 'failed'; code: string; message: string; stage: 'fetch' | 'parse' };

/**
 * Fetches one feed and hands its entries to the normalizer. For at-least-once delivery the entries
 * are stored in Postgres (entry_batches) in the same transaction that records the new validators
 * and body hash: once the feed says it has seen this body, its entries are on record, whatever
 * becomes of the normalize jobs queued after the commit in Redis (lost jobs are queued again from
 * Postgres by the normalizers). A crash before the commit means one more fetch of the same body.
 * Fetch and parse failures are recorded on the feed (backoff, error state) and are not thrown:
 * they are the feed's problem, not the worker's. HostBusyError (the host is at its per-host limit)
 * is thrown: nothing happened to the feed, the fetch should simply run later.
 */
export async function fetchFeed(deps: FetchFeedDeps, feedId: string): Promise<FetchFeedOutcome> {
  const outcome = await fetchFeedOnce(deps, feedId);
  deps.metrics?.recordFetch(outcome);
  return outcome;
}

async function fetchFeedOnce(deps: FetchFeedDeps, feedId: string): Promise<FetchFeedOutcome> {
  const now = deps.now?.() ?? new Date();
  const feed = await getFeed(deps.pool, feedId);
  if (!feed) return { kind: 'skipped', reason: 'missing' };
  if (!feed.enabled) return { kind: 'skipped', reason: 'disabled' };
  const log = deps.log.child({ feedId, feed: loggableUrl(feed.url) });
  const keptInterval = (feed.pollIntervalS ?? deps.bounds.minMs / 1000) * 1000;
  const unchangedInterval = adaptInterval(keptInterval, { changed: false }, now, deps.bounds);
  try {
    const result = await withHostSlot(
      hostLimitOf(deps),
      feed.url,
      () => fetchFeedDocument(feed.url, { ...deps.fetch, etag: feed.etag, lastModified: feed.lastModified }),
      (error) => log.warn({ err: error }, 'could not release the host slot (it expires by itself)'),
    );
    const serverMin = serverMinimumMs(result.headers, now);
    if (result.notModified) {
      await recordFetchSuccess(deps.pool, feed.id, {
        status: 304,
        pollIntervalS: Math.round(unchangedInterval / 1000),
        nextFetchAt: nextFetchAfterSuccess(now, { intervalMs: unchangedInterval, serverMinimumMs: serverMin, bounds: deps.bounds }),
      });
      log.debug('not modified');
      return { kind: 'not-modified' };
    }
    const bodyHash = createHash('sha256').update(result.body).digest('hex');
    const validators = { etag: result.etag, lastModified: result.lastModified, bodyHash };
    // The feed's new address: where a permanent redirect led, or the feed a web page pointed to.
    // Stored only below, once it has served a valid feed.
    const movedTo = result.discoveredFrom ? result.url : result.permanentUrl;
    if (bodyHash === feed.bodyHash && movedTo === null) {
      await recordFetchSuccess(deps.pool, feed.id, {
        status: result.status,
        ...validators,
        pollIntervalS: Math.round(unchangedInterval / 1000),
        nextFetchAt: nextFetchAfterSuccess(now, { intervalMs: unchangedInterval, serverMinimumMs: serverMin, bounds: deps.bounds }),
      });
      return { kind: 'unchanged' };
    }
    const parseOptions = { url: result.url, contentType: result.contentType, fetchedAt: now };
    // The body is not read again after parsing: a thread pool may take it over rather than copy it.
    const parsed = deps.parse ? await deps.parse(result.body, parseOptions, { transfer: true }) : await parseFeed(result.body, parseOptions);
    const fetched: FetchedEntries = {
      feedId: feed.id,
      feedUrl: result.url,
      fetchedAt: now.toISOString(),
      feed: { title: parsed.title, siteUrl: parsed.siteUrl, language: parsed.language },
      entries: parsed.entries.map(toWire),
    };
    const intervalMs = adaptInterval(keptInterval, { changed: true, dates: parsed.entries.map((e) => e.publishedAt) }, now, deps.bounds);
    const batches = await withTransaction(deps.pool, async (tx) => {
      const stored = await storeEntryBatches(tx, feed.id, bodyHash, toChunks(fetched, deps.chunkSize ?? NORMALIZE_CHUNK), {
        dueInMs: BATCH_LEASE_MS,
      });
      await recordFetchSuccess(tx, feed.id, {
        status: result.status,
        ...validators,
        ...(movedTo ? { newUrl: movedTo } : {}),
        pollIntervalS: Math.round(intervalMs / 1000),
        nextFetchAt: nextFetchAfterSuccess(now, { intervalMs, ttlMinutes: parsed.ttlMinutes, serverMinimumMs: serverMin, bounds: deps.bounds }),
      });
      return stored;
    });
    await queueBatches(deps, batches, log);
    log.info({ entries: fetched.entries.length, batches: batches.length }, 'fetched feed');
    return { kind: 'enqueued', entries: fetched.entries.length, batches: batches.length };
  } catch (error) {
    if (!(error instanceof NewsfoldError)) throw error;
    await recordFailure(deps, feed, error, now);
    log.warn({ code: error.code, status: error instanceof FetchError ? error.status : null, err: error.message }, 'feed fetch failed');
    return { kind: 'failed', code: error.code, message: error.message, stage: error instanceof FetchError ? 'fetch' : 'parse' };
  }
}

/** The feed's error state and backoff after a failed fetch. */
async function recordFailure(deps: Pick<FetchFeedDeps, 'pool' | 'bounds'>, feed: FeedRow, error: NewsfoldError, now: Date): Promise<void> {
  await recordFetchError(deps.pool, feed.id, {
    status: error instanceof FetchError ? error.status : null,
    code: error.code,
    message: error.message,
    disable: error instanceof FetchError && error.code === 'gone',
    nextFetchAt: nextFetchAfterError(now, {
      errorCount: feed.errorCount,
      retryAfterMs: error instanceof FetchError ? error.retryAfterMs : null,
      bounds: deps.bounds,
    }),
  });
}

/**
 * A fetch job that failed for good without fetchFeed recording why: its poller died under it
 * twice, or something unexpected went wrong three times. Recorded on the feed like any fetch
 * error (visible in `feeds list`, backing off), so the feed is tried again after its backoff
 * rather than when its claim runs out, and a feed that keeps failing this way does not loop.
 */
export async function recordLostFetch(deps: Pick<FetchFeedDeps, 'pool' | 'bounds' | 'now'>, feedId: string, cause: Error): Promise<void> {
  const feed = await getFeed(deps.pool, feedId);
  if (!feed) return;
  const stalled = /stalled more than allowable limit/.test(cause.message);
  const error = stalled
    ? new NewsfoldError('fetch_interrupted', 'the fetch was interrupted twice (its poller stopped); it is tried again after the backoff', { cause })
    : new NewsfoldError('internal_error', `the fetch failed unexpectedly: ${cause.message}`, { cause });
  await recordFailure(deps, feed, error, deps.now?.() ?? new Date());
}

function toWire(entry: ParsedEntry): WireEntry {
  return {
    guid: entry.guid,
    url: entry.url,
    title: entry.title,
    summary: entry.summary,
    contentHtml: entry.contentHtml,
    author: entry.author,
    publishedAt: entry.publishedAt?.toISOString() ?? null,
    categories: entry.categories,
    imageUrl: entry.imageUrl,
    ...(entry.baseUrl ? { baseUrl: entry.baseUrl } : {}),
  };
}

/**
 * Queues the stored batches' jobs. The entries are safe in Postgres by now, so Redis failing here
 * is not the fetch failing: the normalizers queue the batches again once their lease is up.
 */
async function queueBatches(deps: FetchFeedDeps, batches: EntryBatchRef[], log: Logger): Promise<void> {
  try {
    await enqueueBatches(deps.normalizeQueue, batches);
  } catch (error) {
    log.warn({ err: (error as Error).message, batches: batches.length }, 'could not queue the normalize jobs; the entries wait in Postgres');
  }
}
