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

export interface NormalizeJobData {
  feedId: string;
  /** The URL the entries came from (for the outlet, when the feed names no site). */
  feedUrl: string;
  fetchedAt: string;
  feed: { title: string | null; siteUrl: string | null; language: string | null };
  entries: WireEntry[];
}
