import { describe, expect, it } from 'vitest';
import { renderTopicFeed } from './index.js';
import type { JsonFeed } from './json-feed.js';
import { BASE, sampleInput, sampleSourceUrls, sampleStories } from './testdata/fixtures.js';
import { hrefs } from './testdata/parse.js';

describe('JSON Feed 1.1 topic feed', () => {
  const text = renderTopicFeed('json', sampleInput({ language: 'en-GB' }));
  const feed = JSON.parse(text) as JsonFeed & Record<string, unknown>;

  it('is JSON Feed 1.1 with 1.1 fields, not 1.0 ones', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed).not.toHaveProperty('author');
    expect(feed.authors).toEqual([{ name: 'newsfold', url: `${BASE}/` }]);
    expect(feed.language).toBe('en-GB');
    expect(feed.title).toBe('newsfold — World');
    expect(feed.description).toBe('World news, folded');
    expect(feed.home_page_url).toBe(`${BASE}/`);
    expect(feed.feed_url).toBe(`${BASE}/topics/world/feed.json`);
  });

  it('has one item per story in order with ids, titles, urls and dates', () => {
    const stories = sampleStories();
    expect(feed.items.map((i) => i.id)).toEqual(stories.map((s) => `urn:newsfold:story:${s.id}`));
    expect(feed.items.map((i) => i.title)).toEqual(stories.map((s) => s.title));
    expect(feed.items.map((i) => i.url)).toEqual(stories.map((s) => `${BASE}/stories/${s.id}`));
    expect(feed.items.map((i) => i.date_modified)).toEqual(stories.map((s) => s.updatedAt.toISOString()));
    expect(feed.items.map((i) => i.date_published)).toEqual(stories.map((s) => s.firstSeenAt.toISOString()));
  });

  it('lists every source in content_html and the outlets as item authors', () => {
    expect(feed.items.flatMap((i) => hrefs(i.content_html))).toEqual(sampleSourceUrls());
    expect(feed.items[0]?.authors).toEqual([{ name: 'The Harbour Times' }, { name: 'Daily Ledger' }, { name: 'Kyiv Wire' }]);
    for (const item of feed.items) expect(item).not.toHaveProperty('author');
  });

  it('has a plain-text summary only when the story has one', () => {
    expect(feed.items[0]?.summary).toBe('Officials met in Saudi Arabia to discuss a ceasefire.');
    expect(feed.items[1]).not.toHaveProperty('summary');
  });

  it('falls back to language "en" when none or an invalid tag is given', () => {
    expect((JSON.parse(renderTopicFeed('json', sampleInput())) as JsonFeed).language).toBe('en');
    const bad = renderTopicFeed('json', sampleInput({ language: 'en"><x' }));
    expect((JSON.parse(bad) as JsonFeed).language).toBe('en');
  });
});
