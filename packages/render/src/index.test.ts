import { describe, expect, it } from 'vitest';
import { renderTopicFeed, TOPIC_FEED_CONTENT_TYPES, type TopicFeedFormat } from './index.js';
import type { JsonFeed } from './json-feed.js';
import { sampleInput } from './testdata/fixtures.js';
import { parseFeed } from './testdata/parse.js';
import { assertWellFormedXml } from './testdata/xml-check.js';

describe('TOPIC_FEED_CONTENT_TYPES', () => {
  it('names the media type of each format', () => {
    expect(TOPIC_FEED_CONTENT_TYPES).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
  });
});

describe('renderTopicFeed', () => {
  const empty = sampleInput({ stories: [], topic: { slug: 'all', title: 'All stories', description: null } });

  it.each(['rss', 'atom'] as const)('renders an empty topic as a valid %s feed', async (format) => {
    const xml = renderTopicFeed(format, empty);
    assertWellFormedXml(xml);
    const feed = await parseFeed(xml);
    expect(feed.items).toEqual([]);
    expect(feed.title).toBe('newsfold — All stories');
    expect(feed.feedUrl).toMatch(/^https:\/\/news\.example\.org\/topics\/all\/(rss|atom)\.xml$/);
    expect(new Date(String(feed.lastBuildDate)).getTime()).toBe(0);
  });

  it('renders an empty topic as a valid JSON feed with a default description', () => {
    const feed = JSON.parse(renderTopicFeed('json', empty)) as JsonFeed;
    expect(feed.items).toEqual([]);
    expect(feed.description).toBe('Stories about All stories, folded across outlets by newsfold');
  });

  it('is deterministic: the same input renders the same bytes (stable ETags)', () => {
    for (const format of ['rss', 'atom', 'json'] as const) {
      expect(renderTopicFeed(format, sampleInput())).toBe(renderTopicFeed(format, sampleInput()));
    }
  });

  it('rejects an unknown format', () => {
    expect(() => renderTopicFeed('html' as TopicFeedFormat, sampleInput())).toThrow(TypeError);
  });
});
