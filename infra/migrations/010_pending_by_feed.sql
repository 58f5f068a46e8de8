-- Pending articles by feed, oldest first: each batch of the story assigner takes a fair share of
-- every feed's before filling up with the oldest, so a feed's back catalogue cannot hold another
-- feed's new articles back until all of it is placed.
CREATE INDEX articles_pending_feed_idx ON articles (feed_id, event_at, id) WHERE story_id IS NULL;
