/**
 * JSON Feed 1.1, built directly: `feed` only writes JSON Feed 1.0 (`version` 1, a single
 * `author` object, no `language`), and the object is simpler to build than to patch.
 * https://www.jsonfeed.org/version/1.1/
 */
import type { PreparedEntry, PreparedFeed } from './prepare.js';

export interface JsonFeedAuthor {
  name: string;
  url?: string;
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  date_published: string;
  date_modified: string;
  authors?: JsonFeedAuthor[];
}

export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

export function buildJsonFeed(feed: PreparedFeed): JsonFeed {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrls.json,
    description: feed.description,
    language: feed.language,
    authors: [{ name: 'newsfold', url: feed.homeUrl }],
    items: feed.entries.map(jsonItem),
  };
}

function jsonItem(entry: PreparedEntry): JsonFeedItem {
  const item: JsonFeedItem = {
    id: entry.id,
    url: entry.link,
    title: entry.title,
    content_html: entry.contentHtml,
    date_published: entry.firstSeenAt.toISOString(),
    date_modified: entry.updatedAt.toISOString(),
  };
  // JSON Feed's summary is plain text: no escaping.
  if (entry.summary !== null) item.summary = entry.summary;
  if (entry.outlets.length > 0) item.authors = entry.outlets.map((name) => ({ name }));
  return item;
}

/**
 * `<`, `>` and `&` are written as \u escapes (same JSON value) so the document can never be
 * mistaken for markup when sniffed or inlined; U+2028/U+2029 likewise, for old JS parsers.
 */
export function renderJsonFeed(feed: PreparedFeed): string {
  return JSON.stringify(buildJsonFeed(feed), null, 2).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
