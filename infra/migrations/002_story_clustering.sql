-- Similarity-based story assignment: article features, story centroids, an inverted index from
-- terms to recent stories, document frequencies for IDF, and admin corrections.

ALTER TABLE articles
  ADD COLUMN language  text,
  ADD COLUMN features  jsonb,       -- term → weight (see packages/clustering/src/features.ts)
  ADD COLUMN signature integer[];   -- MinHash of word 3-shingles, for near-verbatim copies

ALTER TABLE stories
  ADD COLUMN centroid      jsonb NOT NULL DEFAULT '{}',  -- summed term weights of its articles (strongest terms kept)
  ADD COLUMN last_event_at timestamptz;                  -- its newest article's time

-- Candidate retrieval: for a term, the stories that used it most recently. A new article looks
-- up a handful of its rarest terms here and reads a bounded number of stories per term, so the
-- cost does not grow with the number of stories in the window.
CREATE TABLE story_terms (
  term      text NOT NULL,
  story_id  bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  last_at   timestamptz NOT NULL,
  PRIMARY KEY (term, story_id)
);
CREATE INDEX story_terms_recent_idx ON story_terms (term, last_at DESC);
CREATE INDEX story_terms_story_idx ON story_terms (story_id);

-- Document frequencies over every article placed so far.
CREATE TABLE term_stats (
  term  text PRIMARY KEY,
  df    integer NOT NULL
);

-- Pairs of stories an admin split apart: clustering never merges them again. story_a < story_b.
CREATE TABLE story_separations (
  story_a    bigint NOT NULL,
  story_b    bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (story_a, story_b),
  CHECK (story_a < story_b)
);
