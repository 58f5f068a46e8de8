-- Stories merged into others (by clustering or by an editor) are deleted, but their ids live on in
-- readers: a feed entry links to /stories/{id}, an API client holds the id. Each merged id points
-- at the story that absorbed it, so those links redirect instead of ending in a 404.
CREATE TABLE story_aliases (
  old_id   bigint PRIMARY KEY,
  story_id bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE
);
CREATE INDEX story_aliases_story_idx ON story_aliases (story_id);
