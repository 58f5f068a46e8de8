import { FeedParseError, type ParsedFeed, type ParseOptions } from '@newsfold/feed-parser';
import { FetchError } from './fetch-error.js';
import { fetchFeedDocument } from './fetch-feed-document.js';
import type { FetchOptions } from './fetch-url.js';

export interface ProbedFeed {
  /** The feed's own URL: the one asked for, or the feed a web page pointed to. */
  url: string;
  title: string | null;
  siteUrl: string | null;
  entries: number;
  /** The page the feed was discovered from, when the URL given was a web page. */
  discoveredFrom: string | null;
}

export interface ProbeOptions extends FetchOptions {
  /**
   * Parses the fetched body. Given by the caller because where it runs is the caller's business: a
   * server must not parse a 50 MB feed on its event loop (the composition root passes a parse
   * pool's, @newsfold/parse-pool), and this package does not start threads of its own.
   */
  parse: (body: Uint8Array, options: ParseOptions) => Promise<ParsedFeed>;
}

/**
 * Checks a URL someone wants to subscribe to, as Miniflux does: fetch it (through the same
 * guarded fetcher as the poller), follow a web page to its feed, and parse it, so a typo, a page
 * without a feed or a blocked address is reported at once instead of as a feed error later.
 */
export async function probeFeed(url: string, options: ProbeOptions): Promise<ProbedFeed> {
  const { parse, ...fetchOptions } = options;
  const result = await fetchFeedDocument(url, fetchOptions);
  if (result.notModified) throw new FetchError('http_error', 'the server answered 304 to a request without validators', { status: 304 });
  try {
    const feed = await parse(result.body, { url: result.url, contentType: result.contentType });
    return {
      url: result.url,
      title: feed.title,
      siteUrl: feed.siteUrl,
      entries: feed.entries.length,
      discoveredFrom: result.discoveredFrom ?? null,
    };
  } catch (error) {
    if (error instanceof FeedParseError) throw new FetchError('not_a_feed', `${result.url} is not a feed: ${error.message}`, { cause: error });
    throw error;
  }
}
