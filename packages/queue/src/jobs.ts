/** Job payloads. They cross Redis as JSON, so dates travel as ISO strings. */

export const FETCH_QUEUE = 'fetch';
export const NORMALIZE_QUEUE = 'normalize';

export interface FetchJobData {
  feedId: string;
}

export interface WireEntry {
  guid: string;
  url: string | null;
  title: string;
  summary: string | null;
  contentHtml: string | null;
  author: string | null;
  publishedAt: string | null;
  categories: string[];
  imageUrl: string | null;
  /**
   * The base the feed declares for this entry's HTML (`xml:base`): relative links in summary and
   * content resolve against it. Absent (older jobs, or no xml:base), they resolve against the
   * entry's link.
   */
  baseUrl?: string | null;
}

/**
 * A fetched feed's entries, as the poller hands them to the normalizer. Stored in Postgres
 * (entry_batches), one row per chunk of a large feed, not in Redis: Redis only carries a pointer.
 */
export interface FetchedEntries {
  feedId: string;
  /** The URL the entries came from (for the outlet, when the feed names no site). */
  feedUrl: string;
  fetchedAt: string;
  feed: { title: string | null; siteUrl: string | null; language: string | null };
  entries: WireEntry[];
}

/** A normalize job: normalise the entry batch `batchId` (of feed `feedId`, for logs). */
export interface NormalizeJobData {
  batchId: string;
  feedId: string;
}

/**
 * Jobs queued before entry batches carried the entries themselves. A normalizer still takes them,
 * so work queued across an upgrade is not dropped.
 */
export type LegacyNormalizeJobData = FetchedEntries;
