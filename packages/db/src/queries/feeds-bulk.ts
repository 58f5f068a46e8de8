import type { Queryable } from '../pool.js';
import { normaliseTags } from './feeds.js';

/** Rows per INSERT statement in `insertFeeds`. */
const CHUNK = 1_000;

/**
 * Subscribes to many feeds at once (an OPML import): one INSERT … ON CONFLICT DO NOTHING per
 * thousand feeds, in input order, instead of a round trip and a commit per feed. Existing
 * subscriptions are left untouched. Returns the ids of the feeds it created.
 */
export async function insertFeeds(
  db: Queryable,
  feeds: readonly { url: string; tags?: string[]; title?: string | null; siteUrl?: string | null }[],
  /** Called after each chunk with how many feeds are done (for a progress bar). */
  onChunk?: (done: number) => void,
): Promise<{ createdIds: string[] }> {
  const createdIds: string[] = [];
  for (let i = 0; i < feeds.length; i += CHUNK) {
    const chunk = feeds.slice(i, i + CHUNK);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO feeds (url, title, tags, site_url)
       SELECT u.url, u.title, ARRAY(SELECT jsonb_array_elements_text(u.tags)), u.site_url
         FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[]) WITH ORDINALITY AS u(url, title, tags, site_url, ord)
        ORDER BY u.ord
       ON CONFLICT (url) DO NOTHING
       RETURNING id::text AS id`,
      [
        chunk.map((f) => f.url),
        chunk.map((f) => f.title ?? null),
        chunk.map((f) => JSON.stringify(normaliseTags(f.tags ?? []))),
        chunk.map((f) => f.siteUrl ?? null),
      ],
    );
    createdIds.push(...rows.map((r) => r.id));
    onChunk?.(Math.min(feeds.length, i + CHUNK));
  }
  return { createdIds };
}
