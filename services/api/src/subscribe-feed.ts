import { getFeedByUrl, insertFeed, type FeedRow, type Pool } from '@newsfold/db';
import type { ProbedFeed } from '@newsfold/fetcher';
import type { Logger } from '@newsfold/logging';
import type { Queues } from '@newsfold/queue';
import { cleanTitle } from '@newsfold/text';
import { fetchSoon } from './fetch-soon.js';
import { feedUrl } from './feed-url.js';

export type Subscription =
  | { created: true; feed: FeedRow; probed: ProbedFeed | null }
  | { created: false; feed: FeedRow };

export interface SubscribeDeps {
  pool: Pool;
  queues: Queues;
  log: Logger;
  /** Fetches the URL and follows a web page to its feed; without it the URL is stored as given. */
  probe?: (url: string) => Promise<ProbedFeed>;
  /** How long to wait for the first fetch to be queued before answering anyway (2 s). */
  enqueueWaitMs?: number;
}

/**
 * Subscribes to the feed at `given` (an absolute http(s) URL, stored as feedUrl has it), the one
 * path for the admin API and `newsfold feeds add`. An already-subscribed feed is reported, not an
 * error here: the API answers 409, the CLI says so. Probe failures (NewsfoldError) propagate for
 * the caller to word.
 */
export async function subscribeFeed(deps: SubscribeDeps, given: string, tags: string[]): Promise<Subscription> {
  const url = feedUrl(given);
  // Checked before probing, to spare a fetch; checked again by the insert, which a subscription
  // of the same feed made meanwhile (or one probing to a URL already held) can race.
  const known = await getFeedByUrl(deps.pool, url);
  if (known) return { created: false, feed: known };
  const probed = deps.probe ? await deps.probe(url) : null;
  const title = probed?.title ? cleanTitle(probed.title) || null : null;
  const { feed, created } = await insertFeed(deps.pool, { url: probed ? feedUrl(probed.url) : url, tags, title });
  if (!created) return { created: false, feed };
  // Fetched right away rather than at the next scheduler tick. The subscription stands whatever
  // becomes of that: failing it now would make a retry answer "already subscribed".
  await fetchSoon(deps, [feed.id], deps.enqueueWaitMs);
  return { created: true, feed, probed };
}
