-- story_terms takes thousands of postings per assigner batch, most of them a story using a term
-- again, where only last_at moves. Indexed by (term, last_at DESC), each such update wrote a new
-- entry in both indexes. Indexed by term alone, last_at is in no index, and the update is HOT (no
-- index entry at all) wherever the row's page has room, which fillfactor 85 leaves on pages
-- written from now on. A term's newest postings are then read by sorting its rows: at preload
-- that was a full scan already, and otherwise only for an article older than the held window.
DROP INDEX story_terms_recent_idx;
CREATE INDEX story_terms_term_idx ON story_terms (term);
ALTER TABLE story_terms SET (fillfactor = 85);
