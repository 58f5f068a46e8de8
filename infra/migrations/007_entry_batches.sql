-- Fetched entries waiting to be normalised. The poller writes them here in the same transaction
-- that records the feed's new validators and body hash, and the normalizer deletes a batch once
-- its entries are stored as articles. A normalize job in Redis only points at a row: when Redis
-- loses jobs (wiped, restarted without persistence, the last second of its AOF), the rows are
-- still here and a normalizer queues them again, so a body the poller has marked as seen is never
-- a body whose entries nobody stored.
CREATE TABLE entry_batches (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  feed_id     bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  body_hash   text NOT NULL,
  -- A large feed is cut into chunks: the n-th chunk of every feed is worked on before any
  -- feed's (n+1)-th, so one huge feed does not hold back the others.
  chunk       integer NOT NULL,
  entries     integer NOT NULL,
  -- The fetched feed's entries and metadata as the normalizer takes them. json, not jsonb: it is
  -- written and read whole, never queried, and keeps text jsonb would refuse (\u0000).
  payload     json NOT NULL,
  -- When a normalizer next queues the batch again should its job be gone from Redis. Re-queueing a
  -- job that is still there does nothing (the job id is the batch's).
  due_at      timestamptz NOT NULL,
  -- Jobs that failed for good (retries exhausted, or stalled by crashes): what went wrong last.
  failures    integer NOT NULL DEFAULT 0,
  last_error  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT entry_batches_body_key UNIQUE (feed_id, body_hash, chunk)
);
CREATE INDEX entry_batches_due_idx ON entry_batches (due_at);

-- When the fetch that brought an article's stored content happened. Batches of one feed can be
-- normalised out of order (a backlog worked on by several normalizers, a batch retried after a
-- failure), and an older fetch must not overwrite what a newer one stored.
ALTER TABLE articles ADD COLUMN fetched_at timestamptz;

-- Before this table, a normalize job lost in Redis left its feed marked as fetched, so what the
-- job carried was never stored and every later fetch of the same body was skipped as unchanged.
-- Every feed's next fetch is made a full one (no conditional GET, no unchanged-body shortcut), at
-- its usual time, so entries such a loss dropped are stored if the feed still lists them.
UPDATE feeds SET etag = NULL, last_modified = NULL, body_hash = NULL
WHERE etag IS NOT NULL OR last_modified IS NOT NULL OR body_hash IS NOT NULL;
