import type { Queryable } from '../pool.js';

/** One stored chunk of a fetched feed's entries (entry_batches, migration 007). */
export interface EntryBatchRef {
  id: string;
  feedId: string;
  chunk: number;
}

export interface EntryBatch<T> extends EntryBatchRef {
  payload: T;
  failures: number;
}

export interface BatchChunk {
  entries: number;
  payload: unknown;
}

const REF_COLUMNS = `id::text, feed_id::text AS "feedId", chunk`;

/**
 * Stores a fetched body's entries, one row per chunk, and returns every chunk's row. A body stored
 * before (a poller that crashed after this and fetched the same body again) keeps its rows:
 * storing is idempotent. `dueInMs`: when a normalizer should queue the rows again if their jobs
 * never ran.
 */
export async function storeEntryBatches(
  db: Queryable,
  feedId: string,
  bodyHash: string,
  chunks: BatchChunk[],
  options: { dueInMs: number },
): Promise<EntryBatchRef[]> {
  if (chunks.length === 0) return [];
  // The SELECT does not see what the INSERT adds in the same statement, so the two halves of the
  // UNION are exactly the new rows and the ones already there.
  const { rows } = await db.query<EntryBatchRef>(
    `WITH added AS (
       INSERT INTO entry_batches (feed_id, body_hash, chunk, entries, payload, due_at)
       SELECT $1, $2, u.chunk, u.entries, u.payload::json, now() + make_interval(secs => $6::double precision / 1000)
       FROM unnest($3::int[], $4::int[], $5::text[]) AS u(chunk, entries, payload)
       ON CONFLICT ON CONSTRAINT entry_batches_body_key DO NOTHING
       RETURNING ${REF_COLUMNS})
     SELECT * FROM added
     UNION ALL
     SELECT ${REF_COLUMNS} FROM entry_batches WHERE feed_id = $1 AND body_hash = $2
     ORDER BY chunk`,
    [feedId, bodyHash, chunks.map((_, i) => i), chunks.map((c) => c.entries), chunks.map((c) => JSON.stringify(c.payload)), options.dueInMs],
  );
  return rows;
}

/** A batch with its entries; null when it is gone (normalised already, or its feed removed). */
export async function loadEntryBatch<T>(db: Queryable, id: string): Promise<EntryBatch<T> | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await db.query<EntryBatch<T>>(`SELECT ${REF_COLUMNS}, payload, failures FROM entry_batches WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Done: the batch's entries are stored as articles. */
export async function deleteEntryBatch(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM entry_batches WHERE id = $1', [id]);
}

/**
 * Batches to queue again, each pushed `leaseMs` into the future so the next sweep (of any
 * replica) leaves it alone meanwhile. By default only the due ones; with `after`, every batch with
 * a greater id whatever its due time (after Redis lost its data, or at a normalizer's start: no
 * job can be trusted to exist), to be paged through by the last id returned; a batch that failed
keeps the wait recordEntryBatchFailure gave it.
 */
export async function claimEntryBatches(
  db: Queryable,
  options: { limit: number; leaseMs: number; after?: string },
): Promise<EntryBatchRef[]> {
  const { rows } = await db.query<EntryBatchRef>(
    `WITH due AS (
       SELECT id FROM entry_batches
       WHERE CASE WHEN $3::bigint IS NULL THEN due_at <= now()
                  -- A batch waiting out the backoff of its failures keeps waiting.
                  ELSE id > $3::bigint AND (failures = 0 OR due_at <= now()) END
       ORDER BY id
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     UPDATE entry_batches b SET due_at = greatest(b.due_at, now() + make_interval(secs => $2::double precision / 1000))
     FROM due WHERE b.id = due.id
     RETURNING b.id::text, b.feed_id::text AS "feedId", b.chunk`,
    [options.limit, options.leaseMs, options.after ?? null],
  );
  return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/**
 * A batch's job failed for good (its retries ran out, or it stalled again and again): records why,
 * and when a normalizer should try it again: `retryDelaysMs[n]` after its (n+1)-th failure, the
 * last delay for every failure beyond.
 */
export async function recordEntryBatchFailure(
  db: Queryable,
  id: string,
  failure: { message: string; retryDelaysMs: readonly number[] },
): Promise<void> {
  await db.query(
    `UPDATE entry_batches SET failures = failures + 1, last_error = $2,
       due_at = now() + make_interval(secs => ($3::double precision[])[least(failures + 1, cardinality($3::double precision[]))] / 1000)
     WHERE id = $1`,
    [id, failure.message.slice(0, 1000), failure.retryDelaysMs.length > 0 ? failure.retryDelaysMs : [0]],
  );
}

export interface EntryBatchCounts {
  /** Batches not normalised yet. */
  pending: number;
  /** Of those, the ones whose job has failed for good at least once. */
  failing: number;
  /** Of those, the ones waiting out the backoff of their failures (not due yet). */
  backingOff: number;
}

/** Work not normalised yet, of some feeds or of all. */
export async function countEntryBatches(db: Queryable, feedIds?: string[]): Promise<EntryBatchCounts> {
  const { rows } = await db.query<EntryBatchCounts>(
    `SELECT count(*)::int AS pending, count(*) FILTER (WHERE failures > 0)::int AS failing,
            count(*) FILTER (WHERE failures > 0 AND due_at > now())::int AS "backingOff"
     FROM entry_batches WHERE $1::bigint[] IS NULL OR feed_id = ANY($1::bigint[])`,
    [feedIds ?? null],
  );
  return rows[0] ?? { pending: 0, failing: 0, backingOff: 0 };
}
