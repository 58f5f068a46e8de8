import { NewsfoldError } from '@newsfold/errors';
import { ensureOutlet, getFeed, setFeedOrigin, upsertArticles, type Pool } from '@newsfold/db';
import { refreshStoriesOfArticles } from '@newsfold/stories';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import type { FetchedEntries } from '@newsfold/queue';
import { cleanTitle, siteKey } from '@newsfold/text';
import { withEntryIdentities } from './entry-identity.js';
import { toArticle } from './to-article.js';

export interface NormalizeResult {
  created: number;
  changed: number;
  unchanged: number;
}

export interface NormalizeDeps {
  pool: Pool;
  log: Logger;
  /** Articles created, for /metrics. */
  metrics?: Metrics;
}

/**
 * One fetched feed's entries → articles, stored pending: the story assigner places them (in
 * batches, in Postgres' order, so no lost job can leave one without a story). Every step is
 * idempotent, so a job delivered twice (at-least-once) or resumed after a crash leaves the same
 * rows as one clean run.
 */
export async function normalizeEntries(deps: NormalizeDeps, data: FetchedEntries): Promise<NormalizeResult> {
  const { pool, log } = deps;
  const feed = await getFeed(pool, data.feedId);
  if (!feed) {
    throw new NewsfoldError('feed_not_found', `feed ${data.feedId} was removed before its entries were normalised`, { permanent: true });
  }
  const site = data.feed.siteUrl ?? data.feedUrl;
  const key = siteKey(site) ?? siteKey(data.feedUrl) ?? data.feedUrl;
  // A feed's own title is shown as the outlet's name, in pages, feeds and the CLI: one clean line.
  const feedTitle = data.feed.title ? cleanTitle(data.feed.title) || null : null;
  const outletId = feed.outletId ?? (await ensureOutlet(pool, { siteKey: key, name: feedTitle ?? key, siteUrl: data.feed.siteUrl }));
  await setFeedOrigin(pool, feed.id, { outletId, title: feedTitle, siteUrl: data.feed.siteUrl });

  // An entry with no headline, text or link (an `<item>` holding only a date) has nothing to show.
  const articles = data.entries
    .filter((e) => e.title.trim() || e.summary?.trim() || e.contentHtml?.trim() || e.url)
    .map((entry) => toArticle(entry, data.feedUrl, data.feed.language));
  // Seen when fetched, not when this job ran: a queue backlog or a replay does not make a late
  // article look later still (a story's `updated` follows when its outlets were first seen).
  const fetchedAt = new Date(data.fetchedAt);
  const seenAt = Number.isNaN(fetchedAt.getTime()) || fetchedAt.getTime() > Date.now() ? undefined : fetchedAt;
  // A link on the outlet's own site is the outlet's article, whichever feed listed it first.
  const isOwnLink = (url: string) => url !== '' && siteKey(url) === key;
  const upserted = await upsertArticles(pool, { feedId: feed.id, outletId, isOwnLink, ...(seenAt ? { seenAt } : {}) }, withEntryIdentities(articles));
  const result: NormalizeResult = { created: 0, changed: 0, unchanged: 0 };
  for (const u of upserted) result[u.status] += 1;

  // A changed headline can change its story's lead title; a link this feed shares with another
  // can bring the story into this feed's topics.
  await refreshStoriesOfArticles(pool, upserted.filter((u) => u.status === 'changed' || u.newlyCarried).map((u) => u.id));
  log.info({ ...result, entries: data.entries.length }, 'normalised feed entries');
  deps.metrics?.recordNormalize(result);
  return result;
}
