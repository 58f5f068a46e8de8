-- Which feeds carry an article. An article is stored once per canonical URL, under the feed that
-- brought it first (articles.feed_id); a paper's "top" and "world" feeds, or an aggregator, list
-- the same links. Every feed that lists one is recorded here, so that a topic's tags see all of
-- them (a story in the "world" feed belongs to a world topic even when "top" stored it first), and
-- so that unsubscribing from one feed hands its articles over to another that still carries them.
CREATE TABLE article_feeds (
  article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  feed_id    bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  PRIMARY KEY (article_id, feed_id)
);
CREATE INDEX article_feeds_feed_idx ON article_feeds (feed_id);

-- What is known so far: each article's own feed.
INSERT INTO article_feeds (article_id, feed_id) SELECT id, feed_id FROM articles;

-- The other feeds that list them are learnt as each feed is read in full: every feed's next fetch
-- is made a full one (no conditional GET, no unchanged-body shortcut), at its usual time.
UPDATE feeds SET etag = NULL, last_modified = NULL, body_hash = NULL
WHERE etag IS NOT NULL OR last_modified IS NOT NULL OR body_hash IS NOT NULL;
