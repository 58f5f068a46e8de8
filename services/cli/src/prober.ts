import type { Config } from '@newsfold/config';
import { probeFeed, type ProbedFeed } from '@newsfold/fetcher';
import { createParsePool } from '@newsfold/parse-pool';
import { fetchOptions } from './runtime.js';

export interface Prober {
  /** Fetches and parses a URL someone subscribes to (probeFeed). */
  probe(url: string): Promise<ProbedFeed>;
  /** Ends the parse threads; probes still running fail. */
  close(): Promise<void>;
}

/**
 * What subscribing checks URLs with: probeFeed through the configured fetcher, parsing a large
 * body on a worker thread, as the poller does, so that a 100k-entry feed holds the API's event
 * loop (every other request, /healthz included) for milliseconds rather than seconds. The pool is
 * its own, not the poller's: a subscriber waits on the API, not behind the poller's backlog.
 */
export function createProber(config: Config): Prober {
  const pool = createParsePool();
  const options = { ...fetchOptions(config), parse: pool.parse };
  return { probe: (url) => probeFeed(url, options), close: () => pool.close() };
}
