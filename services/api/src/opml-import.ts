import { insertFeeds, type Pool } from '@newsfold/db';
import type { OpmlOutline } from '@newsfold/opml';
import type { Logger } from '@newsfold/logging';
import type { Queues } from '@newsfold/queue';
import { cleanTitle, isHttpUrl } from '@newsfold/text';
import { checkFeedUrl } from './feed-url.js';
import { fetchSoon } from './fetch-soon.js';

/**
 * Subscribing to an OPML file's feeds in bulk: `POST /api/v1/opml` and `newsfold opml import`
 * both go through importOutlines.
 */

/**
 * New feeds whose first fetch is queued at once. The rest are due now (next_fetch_at defaults to
 * now()) and the scheduler tick claims them in its batches: queueing 10,000 jobs here would take
 * seconds and flood the fetch queue anyway.
 */
const ENQUEUE_AT_ONCE = 1_000;

export interface OpmlImportResult {
  /** Feed outlines now subscribed: created + existing. */
  imported: number;
  created: number;
  existing: number;
  invalid: { xmlUrl: string; reason: string }[];
}

/**
 * Subscribes to every valid outline, as a bulk import: no probing (the poller reports each feed's
 * problems in its state), existing subscriptions left as they are (tags included), fetches queued
 * for new feeds.
 */
export async function importOutlines(
  deps: { pool: Pool; queues: Pick<Queues, 'fetch'>; log: Logger },
  outlines: readonly OpmlOutline[],
  onProgress?: (done: number, total: number) => void,
): Promise<OpmlImportResult> {
  const result: OpmlImportResult = { imported: 0, created: 0, existing: 0, invalid: [] };
  const valid: { url: string; outline: OpmlOutline }[] = [];
  const seen = new Set<string>();
  for (const outline of outlines) {
    const checked = checkFeedUrl(outline.xmlUrl);
    if ('reason' in checked) result.invalid.push({ xmlUrl: outline.xmlUrl, reason: checked.reason });
    else if (!seen.has(checked.url)) {
      seen.add(checked.url);
      valid.push({ url: checked.url, outline });
    }
  }
  const { createdIds } = await insertFeeds(
    deps.pool,
    // The site's address, shown until the first fetch reads it from the feed (an export round-trips it).
    valid.map(({ url, outline }) => ({
      url,
      tags: outline.tags,
      title: outline.title ? cleanTitle(outline.title) || null : null,
      siteUrl: outline.htmlUrl && isHttpUrl(outline.htmlUrl) ? outline.htmlUrl : null,
    })),
    onProgress && ((done) => onProgress(done, valid.length)),
  );
  await fetchSoon(deps, createdIds.slice(0, ENQUEUE_AT_ONCE));
  result.created = createdIds.length;
  result.existing = valid.length - createdIds.length;
  result.imported = valid.length;
  return result;
}
