import { describe, expect, it } from 'vitest';
import { renderTopicFeed } from './index.js';
import { BASE, sampleInput, sampleSourceUrls, sampleStories } from './testdata/fixtures.js';
import { hrefs, parseFeed } from './testdata/parse.js';
import { assertWellFormedXml } from './testdata/xml-check.js';

describe('RSS 2.0 topic feed', () => {
  const xml = renderTopicFeed('rss', sampleInput());

  it('is well-formed RSS 2.0', async () => {
    assertWellFormedXml(xml);
    expect(xml).toMatch(/<rss version="2\.0"/);
    await expect(parseFeed(xml)).resolves.toBeDefined();
  });

  it('describes the channel with absolute links, ttl and generator', async () => {
    const feed = await parseFeed(xml);
    expect(feed.title).toBe('newsfold — World');
    expect(feed.description).toBe('World news, folded');
    expect(feed.link).toBe(`${BASE}/`);
    expect(feed.feedUrl).toBe(`${BASE}/topics/world/rss.xml`);
    expect(xml).toContain(`<atom:link href="${BASE}/topics/world/rss.xml" rel="self" type="application/rss+xml"/>`);
    expect(feed.ttl).toBe('15');
    expect(feed.generator).toBe('newsfold');
    expect(feed.language).toBe('en');
    // Defaults to the newest story's updatedAt.
    expect(new Date(String(feed.lastBuildDate)).toISOString()).toBe('2025-03-11T12:30:00.000Z');
  });

  it('has one item per story, in input order, with stable non-permalink guids', async () => {
    const feed = await parseFeed(xml);
    const stories = sampleStories();
    expect(feed.items.map((i) => i.guid)).toEqual(['urn:newsfold:story:101', 'urn:newsfold:story:102', 'urn:newsfold:story:103']);
    expect(feed.items.map((i) => i.title)).toEqual(stories.map((s) => s.title));
    expect(xml.match(/<guid isPermaLink="false">/g)).toHaveLength(3);
    expect(xml).not.toContain('isPermaLink="true"');
    // link = the story's own page; the outlets' links are in content:encoded.
    expect(feed.items.map((i) => i.link)).toEqual(stories.map((s) => `${BASE}/stories/${s.id}`));
  });

  it('uses the story updatedAt as pubDate so stories that gain outlets resurface', async () => {
    const feed = await parseFeed(xml);
    expect(feed.items.map((i) => i.isoDate)).toEqual([
      '2025-03-11T12:30:00.000Z',
      '2025-03-10T15:00:00.000Z',
      '2025-03-10T07:00:00.000Z',
    ]);
  });

  it('lists every source link in content:encoded, earliest first', async () => {
    const feed = await parseFeed(xml);
    const content = feed.items.map((i) => String(i['content:encoded'] ?? ''));
    expect(content.flatMap(hrefs)).toEqual(sampleSourceUrls());
    expect(content[0]).toContain('Covered by 3 outlets');
    expect(content[1]).toContain('Covered by 1 outlet:');
  });

  it('puts the plain-text summary in description, and none when the story has none', async () => {
    const feed = await parseFeed(xml);
    expect(feed.items[0]?.content).toBe('Officials met in Saudi Arabia to discuss a ceasefire.');
    expect(feed.items[1]?.content).toBeUndefined();
  });

  it('omits <ttl> when the ttl is not a positive number, and rounds it otherwise', async () => {
    expect(renderTopicFeed('rss', sampleInput({ ttlMinutes: Number.NaN }))).not.toContain('<ttl>');
    expect(renderTopicFeed('rss', sampleInput({ ttlMinutes: 0 }))).not.toContain('<ttl>');
    expect((await parseFeed(renderTopicFeed('rss', sampleInput({ ttlMinutes: 29.6 })))).ttl).toBe('30');
  });
});
