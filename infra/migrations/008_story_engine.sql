-- Batch story assignment (@newsfold/stories): articles are stored pending (no story yet) and one
-- assigner at a time places them in batches, against what it holds of the window's stories in
-- memory. This row is what it checks that memory against.
CREATE TABLE story_engine (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- Moves at every write of clustering state (a batch of placements, a correction, a feed's
  -- removal): what an assigner holds in memory is current while this is what it last wrote or read.
  revision   bigint NOT NULL DEFAULT 0,
  -- Articles counted in term_stats: the N of IDF.
  documents  bigint NOT NULL DEFAULT 0
);
INSERT INTO story_engine (documents) SELECT count(*) FROM articles WHERE story_id IS NOT NULL;

-- Pending articles, oldest first: what the assigner takes, batch after batch.
CREATE INDEX articles_pending_idx ON articles (event_at, id) WHERE story_id IS NULL;
DROP INDEX articles_unassigned_idx;
