-- story_terms takes thousands of postings per assigner batch, most of them a story using a term
-- again, where only last_at moves. Indexed by (term, last_at DESC), each such update wrote a new
-- entry in both indexes. Indexed by term alone, last_at is in no index, and the update is HOT (no
-- index entry at all) wherever the row's page has room, which fillfactor 85 leaves on pages
-- written from now on. A term's newest postings are then read by sorting its rows: at preload
-- that was a full scan already, and otherwise only for an article older than the held window.
DROP INDEX story_terms_recent_idx;
CREATE INDEX story_terms_term_idx ON story_terms (term);
ALTER TABLE story_terms SET (fillfactor = 85);
-- term_stats likewise: each batch adds to the document counts of thousands of terms (df is in no
-- index), and half of those updates found no room on their page (bench cluster --scale, 10k: 47%
-- HOT at fillfactor 100, 92% at 80; the upsert 30-36 ms a batch, 25 ms).
ALTER TABLE term_stats SET (fillfactor = 80);
