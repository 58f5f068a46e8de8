import type { Queryable } from '../pool.js';

/** What the settle pass (@newsfold/stories) reads: the window's placed articles and the stories they are in. */

export interface SettleWindowArticle {
  id: string;
  storyId: string;
  titleKey: string;
  title: string;
  summary: string | null;
  language: string | null;
  url: string | null;
  guid: string;
  eventAt: Date;
  features: Record<string, number> | null;
  signature: number[] | null;
}

/** A placed article as the settle pass first reads it: enough to know whether what it read before still stands. */
export interface PlacedArticleKey {
  id: string;
  storyId: string;
  /** Changes whenever what the article's features come from does (its headline, summary, link, date…). */
  contentHash: string;
  eventAt: Date;
}

/** Every article placed in a story with an event time in [from, to) (to: open-ended when null). */
export async function placedArticleKeys(db: Queryable, from: Date, to: Date | null): Promise<PlacedArticleKey[]> {
  const { rows } = await db.query<PlacedArticleKey>(
    `SELECT id::text, story_id::text AS "storyId", content_hash AS "contentHash", event_at AS "eventAt"
     FROM articles WHERE story_id IS NOT NULL AND event_at >= $1 AND ($2::timestamptz IS NULL OR event_at < $2)`,
    [from, to],
  );
  return rows;
}

/** These placed articles, all the settle pass reads of them (those no longer placed are left out). */
export async function placedArticlesById(db: Queryable, ids: string[]): Promise<(SettleWindowArticle & { contentHash: string })[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<SettleWindowArticle & { contentHash: string }>(
    `SELECT id::text, story_id::text AS "storyId", title_key AS "titleKey", title, summary, language, url, guid,
            event_at AS "eventAt", features, signature, content_hash AS "contentHash"
     FROM articles WHERE id = ANY($1::bigint[]) AND story_id IS NOT NULL`,
    [ids],
  );
  return rows;
}

/** The newest event time of any placed article (null when none is). */
export async function newestPlacedEventAt(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(`SELECT max(event_at) AS at FROM articles WHERE story_id IS NOT NULL`);
  return rows[0]?.at ?? null;
}

/** Of these stories, those an editor made (split or merged: `markEdited`). */
export async function editedStories(db: Queryable, storyIds: string[]): Promise<Set<string>> {
  if (storyIds.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(`SELECT id::text FROM stories WHERE id = ANY($1::bigint[]) AND edited`, [storyIds]);
  return new Set(rows.map((r) => r.id));
}

/** Of these stories, those also holding an article from before `since` (they outlive the pass's window). */
export async function storiesReachingBefore(db: Queryable, storyIds: string[], since: Date): Promise<Set<string>> {
  if (storyIds.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    `SELECT s.id::text FROM unnest($1::bigint[]) AS s(id)
     WHERE EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.event_at < $2)`,
    [storyIds, since],
  );
  return new Set(rows.map((r) => r.id));
}
