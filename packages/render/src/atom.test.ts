import { describe, expect, it } from 'vitest';
import { renderTopicFeed } from './index.js';
import { BASE, sampleInput, sampleSourceUrls, sampleStories } from './testdata/fixtures.js';
import { decodeHtmlText, hrefs, parseFeed } from './testdata/parse.js';
import { assertWellFormedXml } from './testdata/xml-check.js';

describe('Atom 1.0 topic feed', () => {
  const xml = renderTopicFeed('atom', sampleInput());

  it('is well-formed Atom', async () => {
    assertWellFormedXml(xml);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    await expect(parseFeed(xml)).resolves.toBeDefined();
  });

  it('has the topic id, title, links, generator and updated time', async () => {
    const feed = await parseFeed(xml);
    expect(feed.id).toBe(`${BASE}/topics/world/`);
    expect(feed.title).toBe('newsfold — World');
    expect(feed.subtitle).toBe('World news, folded');
    expect(feed.link).toBe(`${BASE}/`);
    expect(feed.feedUrl).toBe(`${BASE}/topics/world/atom.xml`);
    expect(xml).toContain(`<link rel="self" href="${BASE}/topics/world/atom.xml"/>`);
    expect(feed.generator).toBe('newsfold');
    expect(feed.lastBuildDate).toBe('2025-03-11T12:30:00.000Z');
    // Atom needs an author on the feed when an entry might lack one.
    expect(xml).toMatch(/<feed[^>]*>[\s\S]*?<author>\s*<name>newsfold<\/name>/);
  });

  it('has one entry per story in order, with ids, titles, links and both dates', async () => {
    const feed = await parseFeed(xml);
    const stories = sampleStories();
    expect(feed.items.map((i) => i.id)).toEqual(stories.map((s) => `urn:newsfold:story:${s.id}`));
    expect(feed.items.map((i) => decodeHtmlText(i.title ?? ''))).toEqual(stories.map((s) => s.title));
    // link = the story's own page; the outlets' links are in the content.
    expect(feed.items.map((i) => i.link)).toEqual(stories.map((s) => `${BASE}/stories/${s.id}`));
    expect(feed.items.map((i) => i.updated)).toEqual(stories.map((s) => s.updatedAt.toISOString()));
    expect(feed.items.map((i) => i.published)).toEqual(stories.map((s) => s.firstSeenAt.toISOString()));
  });

  it('lists every source link in the content and names the outlets as authors', async () => {
    const feed = await parseFeed(xml);
    expect(feed.items.flatMap((i) => hrefs(i.content ?? ''))).toEqual(sampleSourceUrls());
    expect(feed.items[0]?.content).toContain('reported first');
    const firstEntry = xml.slice(xml.indexOf('<entry>'), xml.indexOf('</entry>'));
    const authors = [...firstEntry.matchAll(/<author>\s*<name>([^<]*)<\/name>/g)].map((m) => m[1]);
    expect(authors).toEqual(['The Harbour Times', 'Daily Ledger', 'Kyiv Wire']);
  });

  it('gives a summary only when the story has one', async () => {
    const feed = await parseFeed(xml);
    expect(decodeHtmlText(String(feed.items[0]?.summary))).toBe('Officials met in Saudi Arabia to discuss a ceasefire.');
    expect(feed.items[1]?.summary).toBeUndefined();
  });
});
