import type { Queryable } from '../pool.js';
import { normaliseTags } from './feeds.js';

export interface TopicRow {
  slug: string;
  title: string;
  description: string | null;
  query: string | null;
  tags: string[];
  minSources: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface TopicInput {
  slug: string;
  title: string;
  description?: string | null;
  query?: string | null;
  tags?: string[];
  minSources?: number;
}

const COLUMNS = `slug, title, description, query, tags, min_sources AS "minSources", created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function getTopic(db: Queryable, slug: string): Promise<TopicRow | null> {
  const { rows } = await db.query<TopicRow>(`SELECT ${COLUMNS} FROM topics WHERE slug = $1`, [slug]);
  return rows[0] ?? null;
}

export async function listTopics(db: Queryable): Promise<TopicRow[]> {
  const { rows } = await db.query<TopicRow>(`SELECT ${COLUMNS} FROM topics ORDER BY slug = 'all' DESC, slug`);
  return rows;
}

/** Creates or replaces a topic. With `onlyIfMissing`, an existing topic is left as the admin made it. */
export async function upsertTopic(db: Queryable, topic: TopicInput, options: { onlyIfMissing?: boolean } = {}): Promise<void> {
  await db.query(
    `INSERT INTO topics (slug, title, description, query, tags, min_sources) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (slug) DO ${options.onlyIfMissing ? 'NOTHING' : `UPDATE SET title = excluded.title, description = excluded.description,
       query = excluded.query, tags = excluded.tags, min_sources = excluded.min_sources, updated_at = now()`}`,
    [topic.slug, topic.title, topic.description ?? null, topic.query ?? null, normaliseTags(topic.tags ?? []), topic.minSources ?? 1],
  );
}
