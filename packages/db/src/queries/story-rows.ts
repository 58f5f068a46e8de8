import type { Queryable } from '../pool.js';

export interface StorySource {
  articleId: string;
  outlet: string;
  outletId: string;
  feedId: string;
  title: string;
  url: string | null;
  publishedAt: Date | null;
  eventAt: Date;
  matchScore: number | null;
  matchReason: string | null;
}

export interface StoryRow {
  id: string;
  title: string;
  summary: string | null;
  firstSeenAt: Date;
  updatedAt: Date;
  sourceCount: number;
  articleCount: number;
}

export interface StoryWithSources extends StoryRow {
  sources: StorySource[];
}

export const STORY_COLUMNS = `s.id::text, s.title, s.summary, s.first_seen_at AS "firstSeenAt", s.updated_at AS "updatedAt",
  s.source_count AS "sourceCount", s.article_count AS "articleCount"`;

/** The stories with their sources (every article, oldest first, with its outlet), in one query. */
export async function attachSources(db: Queryable, stories: StoryRow[]): Promise<StoryWithSources[]> {
  if (stories.length === 0) return [];
  const { rows } = await db.query<StorySource & { storyId: string }>(
    `SELECT a.story_id::text AS "storyId", a.id::text AS "articleId", o.name AS outlet, o.id::text AS "outletId",
            a.feed_id::text AS "feedId", a.title, a.url, a.published_at AS "publishedAt", a.event_at AS "eventAt",
            a.match_score AS "matchScore", a.match_reason AS "matchReason"
     FROM articles a JOIN outlets o ON o.id = a.outlet_id
     WHERE a.story_id = ANY($1::bigint[])
     ORDER BY a.event_at, a.id`,
    [stories.map((s) => s.id)],
  );
  const byStory = new Map<string, StorySource[]>();
  for (const { storyId, ...source } of rows) {
    const list = byStory.get(storyId) ?? [];
    list.push(source);
    byStory.set(storyId, list);
  }
  return stories.map((s) => ({ ...s, sources: byStory.get(s.id) ?? [] }));
}
