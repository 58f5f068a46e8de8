import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';
import { forgetRecentArticles } from './story-engine.js';
import { refreshStories } from './stories.js';

export interface FeedRow {
  id: string;
  url: string;
  outletId: string | null;
  title: string | null;
  siteUrl: string | null;
  tags: string[];
  enabled: boolean;
  disabledReason: string | null;
  etag: string | null;
  lastModified: string | null;
  bodyHash: string | null;
  nextFetchAt: Date;
  pollIntervalS: number | null;
  lastFetchedAt: Date | null;
  lastSuccessAt: Date | null;
  lastStatus: number | null;
  lastErrorCode: string | null;
  lastError: string | null;
  errorCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id::text, url, outlet_id::text AS "outletId", title, site_url AS "siteUrl", tags, enabled,
  disabled_reason AS "disabledReason", etag, last_modified AS "lastModified", body_hash AS "bodyHash",
  next_fetch_at AS "nextFetchAt", poll_interval_s AS "pollIntervalS", last_fetched_at AS "lastFetchedAt", last_success_at AS "lastSuccessAt",
  last_status AS "lastStatus", last_error_code AS "lastErrorCode", last_error AS "lastError",
  error_count AS "errorCount", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Subscribes to a feed; an existing subscription to the same URL is returned untouched (`created: false`). */
export async function insertFeed(
  db: Queryable,
  feed: { url: string; tags?: string[]; title?: string | null },
): Promise<{ feed: FeedRow; created: boolean }> {
  const inserted = await db.query<FeedRow>(
    `INSERT INTO feeds (url, tags, title) VALUES ($1, $2, $3) ON CONFLICT (url) DO NOTHING RETURNING ${COLUMNS}`,
    [feed.url, normaliseTags(feed.tags ?? []), feed.title ?? null],
  );
  if (inserted.rows[0]) return { feed: inserted.rows[0], created: true };
  const existing = await db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds WHERE url = $1`, [feed.url]);
  const row = existing.rows[0];
  if (!row) throw new Error(`feed ${feed.url} vanished during insert`);
  return { feed: row, created: false };
}

export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))].sort();
}

export async function getFeed(db: Queryable, id: string): Promise<FeedRow | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getFeedByUrl(db: Queryable, url: string): Promise<FeedRow | null> {
  const { rows } = await db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds WHERE url = $1`, [url]);
  return rows[0] ?? null;
}

export async function listFeeds(db: Queryable): Promise<FeedRow[]> {
  const { rows } = await db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds ORDER BY feeds.id`);
  return rows;
}

export async function countFeeds(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM feeds');
  return rows[0]?.n ?? 0;
}

/**
 * Claims feeds whose time has come. The claim pushes next_fetch_at forward by a lease, so a
 * concurrent tick (another poller replica) skips them; the fetch sets the real next time. If the
 * job is lost (Redis wiped, worker killed), the lease runs out and the feed is claimed again.
 */
export async function claimDueFeeds(db: Queryable, options: { limit: number; leaseMs: number }): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH due AS (
       SELECT id FROM feeds
       WHERE enabled AND next_fetch_at <= now()
       ORDER BY next_fetch_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     UPDATE feeds f SET next_fetch_at = now() + make_interval(secs => $2::double precision / 1000)
     FROM due WHERE f.id = due.id
     RETURNING f.id::text`,
    [options.limit, options.leaseMs],
  );
  return rows.map((r) => r.id);
}

/** Makes feeds due now (refresh, `poll --once`); all enabled feeds when ids is omitted. */
export async function markFeedsDue(db: Queryable, ids?: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE feeds SET next_fetch_at = now(), updated_at = now()
     WHERE enabled AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) RETURNING id::text`,
    [ids ?? null],
  );
  return rows.map((r) => r.id);
}

export interface FetchOutcome {
  status: number | null;
  nextFetchAt: Date;
  etag?: string | null;
  lastModified?: string | null;
  bodyHash?: string | null;
  /** The feed's posting-rate interval, when this fetch computed one. */
  pollIntervalS?: number | null;
  /** Set when the feed's permanent URL moved and the new one answered validly. */
  newUrl?: string;
}

export async function recordFetchSuccess(db: Queryable, id: string, outcome: FetchOutcome): Promise<void> {
  await db.query(
    `UPDATE feeds SET
       last_status = $2, next_fetch_at = $3,
       etag = CASE WHEN $2 = 304 THEN etag ELSE $4 END,
       last_modified = CASE WHEN $2 = 304 THEN last_modified ELSE $5 END,
       body_hash = coalesce($6, body_hash),
       poll_interval_s = coalesce($8, poll_interval_s),
       url = CASE WHEN $7::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM feeds o WHERE o.url = $7) THEN $7 ELSE url END,
       last_fetched_at = now(), last_success_at = now(),
       last_error_code = NULL, last_error = NULL, error_count = 0, updated_at = now()
     WHERE id = $1`,
    [id, outcome.status, outcome.nextFetchAt, outcome.etag ?? null, outcome.lastModified ?? null, outcome.bodyHash ?? null, outcome.newUrl ?? null, outcome.pollIntervalS ?? null],
  );
}

export async function recordFetchError(
  db: Queryable,
  id: string,
  error: { status: number | null; code: string; message: string; nextFetchAt: Date; disable?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE feeds SET
       last_status = $2, last_error_code = $3, last_error = $4, next_fetch_at = $5,
       error_count = error_count + 1, last_fetched_at = now(), updated_at = now(),
       enabled = CASE WHEN $6 THEN false ELSE enabled END,
       disabled_reason = CASE WHEN $6 THEN $4 ELSE disabled_reason END
     WHERE id = $1`,
    [id, error.status, error.code, error.message.slice(0, 1000), error.nextFetchAt, error.disable ?? false],
  );
}

/** Fills in what the feed says about itself, without overwriting what an admin set. */
export async function setFeedOrigin(
  db: Queryable,
  id: string,
  origin: { outletId: string; title: string | null; siteUrl: string | null },
): Promise<void> {
  await db.query(
    `UPDATE feeds SET outlet_id = coalesce(outlet_id, $2), title = coalesce(title, $3), site_url = coalesce(site_url, $4)
     WHERE id = $1 AND (outlet_id IS NULL OR title IS NULL OR site_url IS NULL)`,
    [id, origin.outletId, origin.title, origin.siteUrl],
  );
}

/**
 * Unsubscribes: deletes a feed and its articles, and recomputes the stories that lost articles
 * (deleting those left empty). In a story-writing transaction: the recompute stamps story
 * revisions, and the lock must come before the delete locks the feed's article rows, or it could
 * deadlock with an assignment placing one of them. False when there is no such feed.
 *
 * An article with a link is one row however many feeds carry it, stored under the feed that
 * brought it first (upsertArticles). One that another feed also carries (article_feeds) is handed
 * over to that feed instead of deleted, so the story keeps it. (Carriers are recorded at every
 * full read of a feed; migration 005 made every feed's next fetch a full one.)
 */
export async function deleteFeed(tx: StoryTx, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  // Every story with an article this feed stored or carries: those it stored lose it (or see it
  // handed over), those it only carries may leave this feed's topics.
  const stories = await tx.query<{ id: string }>(
    `SELECT story_id::text AS id FROM articles WHERE feed_id = $1 AND story_id IS NOT NULL
     UNION
     SELECT a.story_id::text FROM article_feeds af JOIN articles a ON a.id = af.article_id
     WHERE af.feed_id = $1 AND a.story_id IS NOT NULL`,
    [id],
  );
  // Articles another feed carries too go over to it (the lowest id), unless that feed already
  // has an article under the same guid.
  await tx.query(
    `UPDATE articles a SET feed_id = heir.feed_id
     FROM (SELECT DISTINCT ON (o.id) o.id, af.feed_id
           FROM articles o JOIN article_feeds af ON af.article_id = o.id AND af.feed_id <> $1
           WHERE o.feed_id = $1
             AND NOT EXISTS (SELECT 1 FROM articles x WHERE x.feed_id = af.feed_id AND x.guid = o.guid)
           ORDER BY o.id, af.feed_id) heir
     WHERE a.id = heir.id`,
    [id],
  );
  const { rowCount } = await tx.query('DELETE FROM feeds WHERE id = $1', [id]);
  // Their newest articles may be gone.
  await forgetRecentArticles(tx, stories.rows.map((r) => r.id));
  await refreshStories(tx, stories.rows.map((r) => r.id));
  return (rowCount ?? 0) > 0;
}

/** What an admin may change on a subscription; fields left out stay as they are. */
export interface FeedPatch {
  /** null clears it (the feed's own title is filled in again at its next fetch). */
  title?: string | null;
  /** Normalised like on insert (trimmed, lower-cased, deduplicated, sorted). */
  tags?: string[];
  enabled?: boolean;
}

export const ADMIN_DISABLED_REASON = 'disabled by an admin';

/**
 * Applies an admin's change to a feed; null when there is no such feed. Re-enabling a disabled
 * feed clears its disabled reason and error count and makes it due now; disabling an enabled one
 * records that an admin did it (a feed already disabled keeps its reason). `tagsChanged` tells
 * the caller to recompute the topic membership of the feed's stories (`refreshFeedMembership`),
 * in the same transaction (@newsfold/stories' changeFeed does both).
 */
export async function updateFeed(
  db: Queryable,
  id: string,
  patch: FeedPatch,
): Promise<{ feed: FeedRow; tagsChanged: boolean } | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const tags = patch.tags === undefined ? null : normaliseTags(patch.tags);
  const { rows } = await db.query<FeedRow & { tagsChanged: boolean }>(
    `WITH old AS (SELECT id AS old_id, tags AS old_tags, enabled AS was_enabled FROM feeds WHERE id = $1 FOR UPDATE),
     changed AS (
       UPDATE feeds f SET
         title = CASE WHEN $2 THEN $3 ELSE f.title END,
         tags = coalesce($4::text[], f.tags),
         enabled = coalesce($5::boolean, f.enabled),
         disabled_reason = CASE
           WHEN $5::boolean AND NOT was_enabled THEN NULL
           WHEN NOT $5::boolean AND was_enabled THEN $6
           ELSE f.disabled_reason END,
         error_count = CASE WHEN $5::boolean AND NOT was_enabled THEN 0 ELSE f.error_count END,
         next_fetch_at = CASE WHEN $5::boolean AND NOT was_enabled THEN now() ELSE f.next_fetch_at END,
         updated_at = now()
       FROM old WHERE f.id = old_id
       RETURNING f.*, old_tags)
     SELECT ${COLUMNS}, $4::text[] IS NOT NULL AND $4::text[] IS DISTINCT FROM old_tags AS "tagsChanged" FROM changed`,
    [id, patch.title !== undefined, patch.title ?? null, tags, patch.enabled ?? null, ADMIN_DISABLED_REASON],
  );
  const row = rows[0];
  if (!row) return null;
  const { tagsChanged, ...feed } = row;
  return { feed, tagsChanged };
}
