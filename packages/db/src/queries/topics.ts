import type { Queryable } from '../pool.js';
import { normaliseTags } from './feeds.js';
import { listStories, type StoryListQuery } from './stories.js';
import type { StoryWithSources } from './story-rows.js';
import { listTopicStories } from './topic-membership.js';

export interface TopicRow {
  slug: string;
  title: string;
  description: string | null;
  query: string | null;
  tags: string[];
  minSources: number;
  createdAt: Date;
  updatedAt: Date;
  /** The definition (`updatedAt`) the membership rows were last fully computed for; null = never. */
  membersAt: Date | null;
  /** When the topic's content last changed (a story joined, left or changed); see topic-membership.ts. */
  revisedAt: Date;
  /** Whether the membership rows match the current definition (no recompute pending). */
  membershipReady: boolean;
  /** `revisedAt` and `updatedAt` with the microseconds a JavaScript date drops: for validators. */
  revision: string;
}

export interface TopicInput {
  slug: string;
  title: string;
  description?: string | null;
  query?: string | null;
  tags?: string[];
  minSources?: number;
}

const COLUMNS = `slug, title, description, query, tags, min_sources AS "minSources", created_at AS "createdAt", updated_at AS "updatedAt",
  members_at AS "membersAt", revised_at AS "revisedAt", coalesce(members_at >= updated_at, false) AS "membershipReady",
  revised_at::text || '/' || updated_at::text AS revision`;

export async function getTopic(db: Queryable, slug: string, options: { forUpdate?: boolean } = {}): Promise<TopicRow | null> {
  // forUpdate (in a transaction): a read-modify-write that no other writer of the row can interleave.
  const { rows } = await db.query<TopicRow>(`SELECT ${COLUMNS} FROM topics WHERE slug = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [slug]);
  return rows[0] ?? null;
}

export async function listTopics(db: Queryable): Promise<TopicRow[]> {
  const { rows } = await db.query<TopicRow>(`SELECT ${COLUMNS} FROM topics ORDER BY slug = 'all' DESC, slug`);
  return rows;
}

/**
 * Creates or replaces a topic. With `onlyIfMissing`, an existing topic is left as the admin made it.
 * Replacing a topic with the same definition changes nothing (its membership stays valid).
 * Returns whether the row was created, and whether its definition changed (created or replaced
 * with something different): then its membership needs a recompute (recomputeTopic).
 */
export async function upsertTopic(
  db: Queryable,
  topic: TopicInput,
  options: { onlyIfMissing?: boolean } = {},
): Promise<{ created: boolean; changed: boolean }> {
  const { rows } = await db.query<{ created: boolean }>(
    `INSERT INTO topics (slug, title, description, query, tags, min_sources) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (slug) DO ${options.onlyIfMissing ? 'NOTHING' : `UPDATE SET title = excluded.title, description = excluded.description,
       query = excluded.query, tags = excluded.tags, min_sources = excluded.min_sources, updated_at = now()
       WHERE (topics.title, topics.description, topics.query, topics.tags, topics.min_sources)
         IS DISTINCT FROM (excluded.title, excluded.description, excluded.query, excluded.tags, excluded.min_sources)`}
     RETURNING (xmax = 0) AS created`,
    [topic.slug, topic.title, topic.description ?? null, topic.query ?? null, normaliseTags(topic.tags ?? []), topic.minSources ?? 1],
  );
  const row = rows[0];
  return { created: row?.created ?? false, changed: row !== undefined };
}

/** Deletes a topic and its membership rows (the built-in `all` never). Returns whether one was deleted. */
export async function deleteTopic(db: Queryable, slug: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM topics WHERE slug = $1 AND slug <> 'all'`, [slug]);
  return (rowCount ?? 0) > 0;
}

/** Whether a read of this topic (with this minimum) can go through its membership rows. */
export function servedByMembership(topic: TopicRow, minSources: number): boolean {
  return topic.slug !== 'all' && topic.membershipReady && minSources >= topic.minSources;
}

export type TopicReadQuery = Omit<StoryListQuery, 'tags' | 'query' | 'query2'> & {
  /** The caller's full-text query, ANDed with the topic. */
  query?: string | null;
};

/**
 * A topic's stories, newest activity first. `all` is every story; any other topic is read
 * through its membership rows (listTopicStories). Only while its membership is being recomputed,
 * or when the caller asks for fewer sources than the topic's minimum (stories membership left
 * out), are stories filtered by the topic's definition directly: slower, never wrong.
 */
export async function readTopicStories(db: Queryable, topic: TopicRow, q: TopicReadQuery): Promise<StoryWithSources[]> {
  const { query, ...rest } = q;
  const minSources = q.minSources ?? topic.minSources;
  if (topic.slug === 'all') return listStories(db, { ...rest, minSources, query: query ?? null });
  if (servedByMembership(topic, minSources)) return listTopicStories(db, topic.slug, { ...rest, minSources, query: query ?? null });
  return listStories(db, { ...rest, minSources, tags: topic.tags, query: topic.query, query2: query ?? null });
}

/** When stories last changed at all: the validator of `all`, and of a topic being recomputed. */
export interface StoriesRevision {
  revisedAt: Date | null;
  revision: string | null;
}

/**
 * The validator of a topic's content: when it last changed, and an opaque revision for ETags.
 * From the topic row alone when membership serves the read, so a change to an unrelated story
 * leaves it alone; `all` (and a topic being recomputed) also follows the latest story revision.
 * `stories` is only read in that second case (a function, so a caller with it in memory, or the
 * database, supplies it).
 */
export async function topicValidator(
  topic: TopicRow,
  minSources: number,
  stories: () => Promise<StoriesRevision>,
): Promise<{ revision: string; lastChange: Date }> {
  if (servedByMembership(topic, minSources)) {
    return { revision: `m:${topic.revision}`, lastChange: new Date(Math.max(topic.updatedAt.getTime(), topic.revisedAt.getTime())) };
  }
  const latest = await stories();
  const lastChange = new Date(Math.max(topic.updatedAt.getTime(), latest.revisedAt?.getTime() ?? 0));
  return { revision: `s:${topic.revision}:${latest.revision ?? ''}`, lastChange };
}
