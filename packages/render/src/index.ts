import { renderAtom } from './atom.js';
import { renderJsonFeed } from './json-feed.js';
import { prepareFeed } from './prepare.js';
import { renderRss } from './rss.js';
import type { TopicFeedFormat, TopicFeedInput } from './types.js';

export type { RenderSource, RenderStory, RenderTopic, TopicFeedFormat, TopicFeedInput } from './types.js';
export type { JsonFeed, JsonFeedAuthor, JsonFeedItem } from './json-feed.js';
export { baseUrl, FEED_PATHS, storyPageUrl, topicFeedUrl, topicUrl } from './prepare.js';
export { cleanText, safeHttpUrl } from './sanitize.js';

/** The Content-Type header for each topic feed format. */
export const TOPIC_FEED_CONTENT_TYPES: Record<TopicFeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/**
 * Renders a topic's stories (newest activity first, one entry each) as RSS 2.0, Atom 1.0 or
 * JSON Feed 1.1. Pure; throws a TypeError only when `publicUrl` is not an absolute http(s) URL.
 */
export function renderTopicFeed(format: TopicFeedFormat, input: TopicFeedInput): string {
  const feed = prepareFeed(input);
  switch (format) {
    case 'rss':
      return renderRss(feed);
    case 'atom':
      return renderAtom(feed);
    case 'json':
      return renderJsonFeed(feed);
    default:
      throw new TypeError(`unknown topic feed format: ${String(format satisfies never)}`);
  }
}
