-- What placing an article reads of a story beside its centroid: its newest articles' MinHash
-- signatures (near copies) and headline keys (same headline), kept on the story by the story
-- assigner and the settle pass as they write it, so that loading a story is one row, not a walk
-- over its articles. NULL (a story written by another path: a correction, a feed removed, or
-- before this migration) means "read them from the articles", as before.
ALTER TABLE stories
  ADD COLUMN recent_signatures integer[],
  ADD COLUMN recent_title_keys jsonb;
