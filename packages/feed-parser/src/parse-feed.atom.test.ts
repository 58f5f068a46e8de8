import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
const fetchedAt = new Date('2025-06-01T00:00:00Z');

describe('Atom 1.0 with xml:base and relative links', () => {
  it('reads the feed: title, subtitle, alternate link, xml:lang', async () => {
    const feed = await parseFeed(fixture('atom10-xml-base.xml'), { fetchedAt });
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'Le Blog',
      siteUrl: 'https://blog.example.org/',
      description: 'Des nouvelles',
      language: 'fr',
      ttlMinutes: null,
    });
  });

  it('resolves entry links through the xml:base chain and prefers rel="alternate"', async () => {
    const { entries } = await parseFeed(fixture('atom10-xml-base.xml'), { fetchedAt });
    expect(entries.map((e) => e.url)).toEqual([
      'https://blog.example.org/posts/one.html', // feed base + entry xml:base "posts/", not the rel="edit" link
      'https://blog.example.org/two.html', // rel-less link = alternate
      'https://other.example.net/x/three', // the link's own xml:base
    ]);
    expect(entries[0]?.enclosures).toEqual([{ url: 'https://blog.example.org/posts/one.ogg', type: 'audio/ogg', length: 42 }]);
    expect(entries[0]?.baseUrl).toBe('https://blog.example.org/posts/');
  });

  it('reads ids, dates, text constructs, categories and inherited authors', async () => {
    const { entries } = await parseFeed(fixture('atom10-xml-base.xml'), { fetchedAt });
    expect(entries[0]).toMatchObject({
      guid: 'tag:blog.example.org,2025:1',
      title: 'Entry one',
      summary: 'Summary one',
      contentHtml: '<p>Content <em>one</em></p>',
      author: 'Feed Author', // inherited from <feed><author>
      publishedAt: new Date('2025-03-01T07:00:00Z'),
      updatedAt: new Date('2025-03-01T12:00:00Z'),
      categories: ['tech', 'news'],
    });
    expect(entries[1]).toMatchObject({
      title: 'Entry <b>two</b>',
      author: 'Second Author',
      publishedAt: new Date('2025-02-28T08:00:00Z'), // only <updated>: used for both
      updatedAt: new Date('2025-02-28T08:00:00Z'),
      imageUrl: 'https://blog.example.org/thumbs/two.jpg',
    });
  });

  it('keeps inline XHTML content in document order, without its wrapper div', async () => {
    const { entries } = await parseFeed(fixture('atom10-xml-base.xml'), { fetchedAt });
    expect(entries[1]?.contentHtml).toBe('Hello <b>world</b> again &amp; <a href="more.html">more</a>');
  });

  it('survives an unparseable <published> (rss-parser would throw) and falls back to <updated>', async () => {
    const { entries } = await parseFeed(fixture('atom10-xml-base.xml'), { fetchedAt });
    expect(entries[2]).toMatchObject({ guid: 'tag:blog.example.org,2025:3', publishedAt: new Date('2025-02-27T08:00:00Z') });
    expect(entries[2]?.contentHtml).toBeNull(); // out-of-line content (src=)
  });

  it('resolves relative links against the feed URL when there is no xml:base', async () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><link href="/"/><entry><id>1</id><link href="a/b"/></entry></feed>';
    const feed = await parseFeed(xml, { url: 'https://site.example/blog/atom.xml' });
    expect(feed.siteUrl).toBe('https://site.example/');
    expect(feed.entries[0]?.url).toBe('https://site.example/blog/a/b');
  });
});

describe('other Atom shapes', () => {
  it('reads Atom 0.3: issued/modified, tagline, base64 title', async () => {
    const xml = `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title><tagline>Tag</tagline>
<entry><title mode="base64">RW50cnkgVGl0bGU=</title><id>e1</id><link rel="alternate" type="text/html" href="http://old.example/1"/>
<issued>2004-01-01T19:48:21Z</issued><modified>2004-01-02T00:00:00Z</modified>
<content mode="escaped" type="text/html">&lt;p&gt;hi&lt;/p&gt;</content></entry></feed>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed).toMatchObject({ format: 'atom', title: 'Old', description: 'Tag' });
    expect(feed.entries[0]).toMatchObject({
      title: 'Entry Title',
      url: 'http://old.example/1',
      contentHtml: '<p>hi</p>',
      publishedAt: new Date('2004-01-01T19:48:21Z'),
      updatedAt: new Date('2004-01-02T00:00:00Z'),
    });
  });

  it('reads a prefixed <atom:feed> root', async () => {
    const xml = `<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>P</atom:title>
<atom:entry><atom:id>p1</atom:id><atom:title>Prefixed</atom:title></atom:entry></atom:feed>`;
    const feed = await parseFeed(xml);
    expect(feed.title).toBe('P');
    expect(feed.entries.map((e) => [e.guid, e.title])).toEqual([['p1', 'Prefixed']]);
  });

  it('accepts <link>url</link> written as text (rss-parser would throw)', async () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><link>https://t.example/</link><entry><id>1</id><link>https://t.example/1</link></entry></feed>';
    const feed = await parseFeed(xml);
    expect(feed.siteUrl).toBe('https://t.example/');
    expect(feed.entries[0]?.url).toBe('https://t.example/1');
  });
});

describe('Atom xml:base on the text elements', () => {
  it('gives the base of the content element (its own xml:base) for links inside it', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/parent/">
<entry><id>1</id><content type="html" xml:base="http://example.com/test/">Example &lt;a href="test.html"&gt;test&lt;/a&gt;</content></entry>
<entry><id>2</id><summary type="html" xml:base="info/">s</summary><content type="html">c</content></entry>
<entry><id>3</id><summary type="html" xml:base="info/">s</summary></entry></feed>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.entries.map((e) => e.baseUrl)).toEqual([
      'http://example.com/test/',
      'http://example.com/parent/',
      'http://example.com/parent/info/',
    ]);
  });
});

describe('Atom 1.0 content in other media types (RFC 4287 §4.1.3.3)', () => {
  it('decodes base64 text, and keeps binary and text that is not base64 after all as written', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]).toString('base64');
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom">
<entry><id>1</id><content type="application/octet-stream">PHA+RW50cnkgQ29udGVudDwvcD4=</content></entry>
<entry><id>2</id><title>t</title><content type="image/png">${png}</content></entry>
<entry><id>3</id><content type="application/json">{"a":1}</content></entry>
<entry><id>4</id><content type="text/plain">cGxhaW4=</content></entry>
<entry><id>5</id><title type="application/x-custom">test</title></entry></feed>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.entries.map((e) => e.contentHtml)).toEqual(['<p>Entry Content</p>', png, '{"a":1}', 'cGxhaW4=', null]);
    expect(feed.entries[4]?.title).toBe('test');
  });

  it('names no author for a person given only by <uri>', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title>
<author><uri>http://example.org/me</uri></author></entry></feed>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.entries[0]?.author).toBeNull();
  });
});
