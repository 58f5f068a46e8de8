import type { Queryable } from '../pool.js';
import type { StoryTx } from '../story-lock.js';

export interface ArticleInput {
  guid: string;
  /** Canonical URL, or null. */
  url: string | null;
  title: string;
  titleKey: string;
  summary: string | null;
  contentHtml: string | null;
  author: string | null;
  publishedAt: Date | null;
  contentHash: string;
  language?: string | null;
  /** Clustering features: term → weight. */
  features?: Record<string, number> | null;
  /** MinHash signature (may be empty). */
  signature?: number[] | null;
}

const pgIntArray = (a: number[] | null | undefined) => (a && a.length > 0 ? `{${a.join(',')}}` : null);
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export type UpsertStatus = 'created' | 'changed' | 'unchanged';

export interface UpsertedArticle {
  id: string;
  guid: string;
  status: UpsertStatus;
  /**
   * This feed was recorded as carrying an article it had not carried before, stored under
   * another feed (the same link in two feeds): its story may now belong to this feed's topics.
   */
  newlyCarried: boolean;
}

/**
 * Writes one feed's entries as articles. An entry is the same article as an existing row when it
 * has the same (feed, guid) or the same canonical URL (the link seen in another feed, or re-sent
 * with a new guid; resolveExisting says which row when both match). Rows whose content hash is
 * unchanged are not touched, so replaying a job (at least once delivery) writes nothing. Safe
 * under concurrent callers: inserts use ON CONFLICT DO NOTHING over both unique keys, and the
 * losers of a race resolve to the winner's row.
 */
export async function upsertArticles(
  db: Queryable,
  feed: ArticleOrigin,
  inputs: ArticleInput[],
): Promise<UpsertedArticle[]> {
  const batch = dedupe(inputs);
  if (batch.length === 0) return [];
  const existing = await resolveExisting(db, feed.feedId, batch);
  const results: UpsertedArticle[] = [];
  const changed: ArticleInput[] = [];
  const fresh: ArticleInput[] = [];
  const changedIds: string[] = [];
  for (const [i, input] of batch.entries()) {
    const found = existing.get(i);
    if (!found) fresh.push(input);
    else if (found.contentHash !== input.contentHash) {
      changed.push(input);
      changedIds.push(found.id);
      results.push({ id: found.id, guid: input.guid, status: 'changed', newlyCarried: false });
    } else results.push({ id: found.id, guid: input.guid, status: 'unchanged', newlyCarried: false });
  }
  if (changed.length > 0) {
    // What an older fetch than the one stored would change is left as it is: unchanged.
    const updated = await updateContent(db, changedIds, changed, feed.seenAt ?? null);
    for (const r of results) if (r.status === 'changed' && !updated.has(r.id)) r.status = 'unchanged';
  }
  if (fresh.length > 0) {
    const inserted = await insertNew(db, feed, fresh);
    const racedIdx: number[] = [];
    for (const [i, input] of fresh.entries()) {
      const id = inserted.get(input.guid);
      if (id !== undefined) results.push({ id, guid: input.guid, status: 'created', newlyCarried: false });
      else racedIdx.push(i);
    }
    if (racedIdx.length > 0) {
      // Another worker inserted these between our lookup and our insert (or they share a URL with
      // an article in the same batch): they exist now, under the other row.
      const raced = racedIdx.map((i) => fresh[i] as ArticleInput);
      const resolved = await resolveExisting(db, feed.feedId, raced);
      for (const [i, input] of raced.entries()) {
        const found = resolved.get(i);
        if (found) results.push({ id: found.id, guid: input.guid, status: 'unchanged', newlyCarried: false });
      }
    }
  }
  await recordCarrier(db, feed.feedId, results);
  if (feed.isOwnLink) {
    const urlOf = new Map(batch.map((b) => [b.guid, b.url]));
    const own = results.filter((r) => r.newlyCarried && feed.isOwnLink?.(urlOf.get(r.guid) ?? '')).map((r) => r.id);
    if (own.length > 0) await claimOwnLinks(db, feed, own);
  }
  return results;
}

/**
 * Moves articles this feed's outlet published, stored first under another outlet's feed (an
 * aggregator listing the link before the publisher's own feed did), over to this feed and outlet:
 * the coverage credits the outlet that wrote it. Not where this feed already has another article
 * under the same guid.
 */
async function claimOwnLinks(db: Queryable, feed: ArticleOrigin, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE articles a SET feed_id = $2, outlet_id = $3
     WHERE a.id = ANY($1::bigint[]) AND a.outlet_id <> $3
       AND NOT EXISTS (SELECT 1 FROM articles x WHERE x.feed_id = $2 AND x.guid = a.guid)`,
    [ids, feed.feedId, feed.outletId],
  );
}

/**
 * Records that the feed carries these articles (article_feeds), and marks the ones it did not
 * carry before and that another feed stored: those are the links two feeds share.
 */
async function recordCarrier(db: Queryable, feedId: string, results: UpsertedArticle[]): Promise<void> {
  if (results.length === 0) return;
  const { rows } = await db.query<{ id: string }>(
    `WITH added AS (
       INSERT INTO article_feeds (article_id, feed_id)
       SELECT id, $2 FROM unnest($1::bigint[]) AS u(id) ORDER BY id
       ON CONFLICT DO NOTHING
       RETURNING article_id)
     SELECT a.id::text AS id FROM added JOIN articles a ON a.id = added.article_id WHERE a.feed_id <> $2`,
    [results.map((r) => r.id), feedId],
  );
  const shared = new Set(rows.map((r) => r.id));
  for (const r of results) r.newlyCarried = shared.has(r.id);
}

export interface ArticleOrigin {
  feedId: string;
  outletId: string;
  /**
   * Whether a link is on this feed's outlet's own site. An article with such a link, stored
   * first under another outlet's feed, is moved over to this one (claimOwnLinks).
   */
  isOwnLink?: (url: string) => boolean;
  /**
   * When the feed holding these articles was fetched (default: now): new articles' first_seen_at,
   * and what keeps an older fetch from overwriting content a newer one stored.
   */
  seenAt?: Date;
}

/**
 * First occurrence of each guid, in canonical-URL order. Two feeds sharing links (a paper's "top"
 * and "world" feeds) insert them under the URL unique index; in feed order, one job could hold
 * link A and wait for B while the other holds B and waits for A: a deadlock. In one global order
 * the second simply waits for the first. The sort is stable, so among entries sharing a URL the
 * feed's first still wins.
 */
function dedupe(inputs: ArticleInput[]): ArticleInput[] {
  const seenGuids = new Set<string>();
  const out: ArticleInput[] = [];
  for (const input of inputs) {
    if (seenGuids.has(input.guid)) continue;
    seenGuids.add(input.guid);
    out.push(input);
  }
  return out.sort((a, b) => (a.url === b.url ? 0 : a.url === null ? 1 : b.url === null ? -1 : a.url < b.url ? -1 : 1));
}

/**
 * The existing row of each input, by index. Of the rows an input matches, this feed's row at its
 * link comes first, then this feed's row under its guid (the link changed), then another feed's
 * row at its link. The first matters when a feed has listed several links under one guid: an
 * entry left alone under it is the article at its link, not the one an older fetch stored under
 * the bare guid.
 */
async function resolveExisting(
  db: Queryable,
  feedId: string,
  batch: ArticleInput[],
): Promise<Map<number, { id: string; contentHash: string }>> {
  const { rows } = await db.query<{ ord: number; id: string; contentHash: string }>(
    `SELECT (i.ord - 1)::int AS ord, a.id::text AS id, a.content_hash AS "contentHash"
     FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS i(guid, url, ord)
     CROSS JOIN LATERAL (
       SELECT id, content_hash FROM articles a
       WHERE (a.feed_id = $1 AND a.guid = i.guid) OR (i.url IS NOT NULL AND a.url = i.url)
       ORDER BY (a.feed_id = $1 AND a.url = i.url) IS TRUE DESC, (a.feed_id = $1 AND a.guid = i.guid) DESC, a.id
       LIMIT 1) a`,
    [feedId, batch.map((b) => b.guid), batch.map((b) => b.url)],
  );
  return new Map(rows.map((r) => [r.ord, { id: r.id, contentHash: r.contentHash }]));
}

async function insertNew(db: Queryable, feed: ArticleOrigin, batch: ArticleInput[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; guid: string }>(
    `INSERT INTO articles (feed_id, outlet_id, guid, url, title, title_key, summary, content_html, author, published_at, content_hash,
                           language, features, signature, first_seen_at, fetched_at)
     SELECT $1, $2, u.guid, u.url, u.title, u.title_key, u.summary, u.content_html, u.author, u.published_at, u.content_hash,
            u.language, u.features::jsonb, u.signature::integer[], date_trunc('milliseconds', coalesce($15::timestamptz, now())),
            coalesce($15::timestamptz, now())
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::text[],
                 $12::text[], $13::text[], $14::text[])
       AS u(guid, url, title, title_key, summary, content_html, author, published_at, content_hash, language, features, signature)
     ON CONFLICT DO NOTHING
     RETURNING id::text, guid`,
    [
      feed.feedId,
      feed.outletId,
      batch.map((b) => b.guid),
      batch.map((b) => b.url),
      ...contentColumns(batch),
      feed.seenAt ?? null,
    ],
  );
  return new Map(rows.map((r) => [r.guid, r.id]));
}

/**
 * The stored content of a batch as one array per column, in the order both writes list them:
 * title, title_key, summary, content_html, author, published_at, content_hash, language,
 * features, signature.
 */
function contentColumns(batch: ArticleInput[]): unknown[][] {
  return [
    batch.map((b) => b.title),
    batch.map((b) => b.titleKey),
    batch.map((b) => b.summary),
    batch.map((b) => b.contentHtml),
    batch.map((b) => b.author),
    batch.map((b) => b.publishedAt),
    batch.map((b) => b.contentHash),
    batch.map((b) => b.language ?? null),
    batch.map((b) => json(b.features)),
    batch.map((b) => pgIntArray(b.signature)),
  ];
}

/** Rewrites the content of articles whose stored content is not from a newer fetch; returns the ids rewritten. */
async function updateContent(db: Queryable, ids: string[], batch: ArticleInput[], fetchedAt: Date | null): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE articles a SET title = u.title, title_key = u.title_key, summary = u.summary, content_html = u.content_html,
       author = u.author, published_at = coalesce(u.published_at, a.published_at), content_hash = u.content_hash, updated_at = now(),
       language = u.language, features = u.features::jsonb, signature = u.signature::integer[],
       fetched_at = coalesce($12::timestamptz, now())
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[],
                 $9::text[], $10::text[], $11::text[])
       AS u(id, title, title_key, summary, content_html, author, published_at, content_hash, language, features, signature)
     WHERE a.id = u.id AND (a.fetched_at IS NULL OR a.fetched_at <= coalesce($12::timestamptz, now()))
     RETURNING a.id::text`,
    [ids, ...contentColumns(batch), fetchedAt],
  );
  return new Set(rows.map((r) => r.id));
}

export interface UnassignedArticle {
  id: string;
  titleKey: string;
  title: string;
  summary: string | null;
  language: string | null;
  url: string | null;
  eventAt: Date;
  features: Record<string, number> | null;
  signature: number[] | null;
}

export async function assignArticle(
  db: StoryTx,
  id: string,
  match: { storyId: string; score: number; reason: string },
): Promise<void> {
  await db.query('UPDATE articles SET story_id = $2, match_score = $3, match_reason = $4 WHERE id = $1', [
    id,
    match.storyId,
    match.score,
    match.reason,
  ]);
}

export async function countArticles(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
  return rows[0]?.n ?? 0;
}
