-- story_terms keyed by story first: a batch's postings are mostly new stories' (fresh ids, the
-- right edge of the key) and existing stories' (their own pages), where keyed by term first every
-- posting landed on a random page of a second, term-ordered index besides story_terms_recent_idx.
-- The story-first key also serves what story_terms_story_idx did (folds, cascading deletes), so
-- each posting now writes two index entries instead of three. Conflict targets name the columns,
-- not their order, and stay as they are.
ALTER TABLE story_terms DROP CONSTRAINT story_terms_pkey;
ALTER TABLE story_terms ADD PRIMARY KEY (story_id, term);
DROP INDEX story_terms_story_idx;
