-- newsfold's schema. Postgres is the source of truth; Redis only carries transient work.

-- A publisher. Several feeds (world, business…) can belong to one outlet; a story counts outlets,
-- not feeds, so one publisher's two feeds never make a story look widely covered.
CREATE TABLE outlets (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_key    text NOT NULL UNIQUE,           -- host of the site without "www.", e.g. bbc.co.uk
  name        text NOT NULL,
  site_url    text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE feeds (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url              text NOT NULL UNIQUE,
  outlet_id        bigint REFERENCES outlets (id),
  title            text,
  site_url         text,
  tags             text[] NOT NULL DEFAULT '{}',
  enabled          boolean NOT NULL DEFAULT true,
  disabled_reason  text,
  -- HTTP validators, stored verbatim as the server sent them.
  etag             text,
  last_modified    text,
  body_hash        text,
  -- Schedule and health.
  next_fetch_at    timestamptz NOT NULL DEFAULT now(),
  poll_interval_s  integer,                    -- the adaptive interval last computed from the feed's posting rate
  last_fetched_at  timestamptz,
  last_success_at  timestamptz,
  last_status      integer,
  last_error_code  text,
  last_error       text,
  error_count      integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feeds_due_idx ON feeds (next_fetch_at) WHERE enabled;

CREATE TABLE stories (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title            text NOT NULL,              -- the lead article's headline
  summary          text,
  lead_article_id  bigint,
  first_seen_at    timestamptz NOT NULL,       -- earliest article's time
  updated_at       timestamptz NOT NULL,       -- when the story last gained an outlet
  source_count     integer NOT NULL DEFAULT 0, -- distinct outlets
  article_count    integer NOT NULL DEFAULT 0,
  revised_at       timestamptz NOT NULL DEFAULT clock_timestamp(), -- any change at all: validator for conditional GET
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stories_activity_idx ON stories (updated_at DESC, id DESC);
CREATE INDEX stories_revised_idx ON stories (revised_at);

CREATE TABLE articles (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  feed_id        bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  outlet_id      bigint NOT NULL REFERENCES outlets (id),
  guid           text NOT NULL,
  url            text,                          -- canonical URL (no tracking parameters, no fragment)
  title          text NOT NULL,                 -- plain text
  title_key      text NOT NULL,                 -- normalised title, for same-headline matching
  summary        text,                          -- plain text
  content_html   text,
  author         text,
  published_at   timestamptz,
  -- Millisecond precision, like every time a story derives from: API cursors carry JavaScript
  -- dates, and a microsecond the cursor cannot express would make keyset pages skip rows.
  first_seen_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- The time an article is placed at: its publication date, or when we first saw it.
  event_at       timestamptz GENERATED ALWAYS AS (coalesce(published_at, first_seen_at)) STORED,
  content_hash   text NOT NULL,
  story_id       bigint REFERENCES stories (id),
  match_score    real,
  match_reason   text,
  CONSTRAINT articles_feed_guid_key UNIQUE (feed_id, guid)
);
-- One article per canonical URL: the same link seen in two feeds is one article.
CREATE UNIQUE INDEX articles_url_key ON articles (url) WHERE url IS NOT NULL;
CREATE INDEX articles_title_key_idx ON articles (title_key, event_at);
CREATE INDEX articles_story_idx ON articles (story_id, event_at);
CREATE INDEX articles_unassigned_idx ON articles (id) WHERE story_id IS NULL;

ALTER TABLE stories
  ADD CONSTRAINT stories_lead_article_fkey FOREIGN KEY (lead_article_id) REFERENCES articles (id) ON DELETE SET NULL;

CREATE TABLE topics (
  slug         text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  title        text NOT NULL,
  description  text,
  query        text,                              -- web-search syntax over story titles and summaries
  tags         text[] NOT NULL DEFAULT '{}',      -- only stories with a source from a feed with one of these tags
  min_sources  integer NOT NULL DEFAULT 1 CHECK (min_sources >= 1),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The built-in topic every story belongs to.
INSERT INTO topics (slug, title, description) VALUES ('all', 'All stories', 'Every story, across every outlet');
