-- Topic membership: which stories each topic holds, kept current as stories change, so a topic
-- feed reads one index range instead of filtering every story (see packages/db/src/queries/topic-membership.ts).

-- Full-text search over a story's lead headline (weight A) and summary (weight B). 'simple'
-- config: no stemming or stop words, since outlets write in many languages.
ALTER TABLE stories
  ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', coalesce(summary, '')), 'B')
  ) STORED;
CREATE INDEX stories_search_idx ON stories USING gin (search);

-- One row per (topic, story) that belongs; `updated_at` mirrors stories.updated_at so a feed
-- page is one range of the index below. The built-in `all` topic has no rows: it is every story.
CREATE TABLE topic_stories (
  topic       text NOT NULL REFERENCES topics (slug) ON DELETE CASCADE ON UPDATE CASCADE,
  story_id    bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (topic, story_id)
);
CREATE INDEX topic_stories_feed_idx ON topic_stories (topic, updated_at DESC, story_id DESC);
-- Membership is refreshed per story (refreshTopicMembership): find a story's rows in every topic.
CREATE INDEX topic_stories_story_idx ON topic_stories (story_id);

ALTER TABLE topics
  -- The definition (updated_at) the membership rows were last fully computed for; NULL = never.
  -- While members_at < updated_at a recompute is due and feeds filter stories directly.
  ADD COLUMN members_at timestamptz,
  -- When the topic's content last changed: a story joined, left, or a member story changed (or,
  -- for `all`, a story was deleted). With updated_at, the validator for conditional GET.
  ADD COLUMN revised_at timestamptz NOT NULL DEFAULT clock_timestamp();

UPDATE topics SET members_at = updated_at WHERE slug = 'all';
