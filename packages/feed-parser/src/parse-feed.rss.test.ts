import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
const fetchedAt = new Date('2025-06-01T00:00:00Z');

describe('RSS 2.0 with content:encoded, dc:creator and Media RSS', () => {
  it('reads the channel', async () => {
    const feed = await parseFeed(fixture('rss2-content-encoded.xml'), { fetchedAt });
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'Example World News',
      siteUrl: 'https://news.example.com/world/',
      description: 'The world, folded.',
      language: 'en-gb',
      ttlMinutes: 30,
    });
    expect(feed.entries).toHaveLength(3);
  });

  it('reads a full item: raw HTML description, content:encoded, dc:creator, categories, media', async () => {
    const { entries } = await parseFeed(fixture('rss2-content-encoded.xml'), { fetchedAt });
    expect(entries[0]).toEqual({
      guid: 'urn:example:story:1001',
      url: 'https://news.example.com/world/us-ukraine-talks',
      baseUrl: null, // no xml:base declared
      title: 'US and Ukraine hold talks in Jeddah',
      summary: '<p>Officials meet in <b>Saudi Arabia</b>.</p>',
      contentHtml: '<p>Full text of the article.</p><img src="https://img.example.com/inline.jpg">',
      author: 'Jane Reporter',
      publishedAt: new Date('2025-03-10T09:30:00Z'),
      updatedAt: null,
      categories: ['World', 'Diplomacy'],
      enclosures: [{ url: 'https://cdn.example.com/audio/talks.mp3', type: 'audio/mpeg', length: 123456 }],
      imageUrl: 'https://img.example.com/talks-thumb.jpg',
    });
  });

  it('resolves a relative link against the channel link when the feed URL is unknown', async () => {
    const { entries } = await parseFeed(fixture('rss2-content-encoded.xml'), { fetchedAt });
    expect(entries[1]).toMatchObject({
      guid: 'https://news.example.com/world/drones',
      url: 'https://news.example.com/world/drones',
      author: 'News Desk', // from "desk@example.com (News Desk)"
      publishedAt: new Date('2025-03-10T13:00:00Z'), // "08:00 EST", no seconds
      summary: 'Plain <i>escaped</i> summary',
      imageUrl: 'https://img.example.com/drones.jpg',
    });
  });

  it('prefers the feed URL from the options as the base for relative links', async () => {
    const { entries } = await parseFeed(fixture('rss2-content-encoded.xml'), {
      fetchedAt,
      url: 'https://feeds.example.net/world.rss',
    });
    expect(entries[1]?.url).toBe('https://feeds.example.net/world/drones');
  });

  it('uses a permalink guid as the URL, dc:date as the date, and keeps naked HTML intact', async () => {
    const { entries } = await parseFeed(fixture('rss2-content-encoded.xml'), { fetchedAt });
    expect(entries[2]).toMatchObject({
      guid: 'https://news.example.com/business/markets',
      url: 'https://news.example.com/business/markets',
      publishedAt: new Date('2025-03-10T06:00:00Z'),
      summary: 'Naked <b>markup</b> in a description',
      enclosures: [{ url: 'https://img.example.com/markets.png', type: 'image/png', length: null }],
      imageUrl: 'https://img.example.com/markets.png',
    });
  });
});

describe('RSS 1.0 (RDF)', () => {
  it('reads channel and items with Dublin Core', async () => {
    const feed = await parseFeed(fixture('rss1-rdf.xml'), { fetchedAt });
    expect(feed).toMatchObject({ format: 'rss', title: 'RDF Site', siteUrl: 'https://rdf.example.org/', language: 'de' });
    expect(feed.entries.map((e) => [e.guid, e.url, e.title, e.author, e.publishedAt?.toISOString()])).toEqual([
      ['https://rdf.example.org/a', 'https://rdf.example.org/a', 'First RDF item', 'Alice', '2025-02-01T12:00:00.000Z'],
      ['urn:rdf:item:b', 'https://rdf.example.org/b-relative', 'Second RDF item', null, '2025-02-02T13:15:30.000Z'],
    ]);
    expect(feed.entries[0]?.categories).toEqual(['Science']);
    expect(feed.entries[0]?.summary).toBe('About A');
  });
});

describe('other RSS shapes', () => {
  it('reads RSS 0.91 with a Netscape DOCTYPE and HTML entities', async () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Vieux&nbsp;flux</title><link>http://old.example.fr/</link>
<item><title>Premi&egrave;re</title><link>http://old.example.fr/1</link></item></channel></rss>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.title).toBe('Vieux\u00a0flux');
    expect(feed.entries.map((e) => [e.title, e.url])).toEqual([['Première', 'http://old.example.fr/1']]);
  });

  it('reads an <rss> without a version as RSS 2.0', async () => {
    const feed = await parseFeed('<rss><channel><title>T</title><item><title>x</title><guid>g</guid></item></channel></rss>');
    expect(feed.entries.map((e) => e.guid)).toEqual(['g']);
  });

  it('falls back to atom:link alternate, atom:author and atom:content inside RSS', async () => {
    const xml = `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<atom:link rel="self" href="https://x.example/rss"/><atom:link rel="alternate" href="https://x.example/"/>
<item><title>t</title><atom:link href="https://x.example/1"/>
<atom:author><atom:name>Ann</atom:name></atom:author><atom:content type="html">&lt;p&gt;Body&lt;/p&gt;</atom:content>
<atom:published>2025-01-02T03:04:05Z</atom:published></item></channel></rss>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.siteUrl).toBe('https://x.example/');
    expect(feed.entries[0]).toMatchObject({
      url: 'https://x.example/1',
      author: 'Ann',
      contentHtml: '<p>Body</p>',
      publishedAt: new Date('2025-01-02T03:04:05Z'),
    });
  });

  it('finds an image in the description HTML, skipping tracking pixels', async () => {
    const xml = `<rss version="2.0"><channel><item><title>t</title><link>https://x.example/1</link>
<description><![CDATA[<img src="https://t.example/p.gif" width="1" height="1"><img src='/img/a.jpg?w=1&amp;h=2'>]]></description>
</item></channel></rss>`;
    const feed = await parseFeed(xml, { url: 'https://x.example/feed' });
    expect(feed.entries[0]?.imageUrl).toBe('https://x.example/img/a.jpg?w=1&h=2');
  });

  it('drops javascript: links instead of passing them on', async () => {
    const xml = '<rss version="2.0"><channel><item><title>t</title><link>javascript:alert(1)</link></item></channel></rss>';
    const feed = await parseFeed(xml);
    expect(feed.entries[0]?.url).toBeNull();
  });
});

describe('RSS fixes found with the gofeed corpus', () => {
  it('reads "Name (email)" authors as the name, and dc:author when nothing else names one', async () => {
    const xml = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><guid>1</guid><author>Author Name (author@example.org)</author></item>
<item><guid>2</guid><author>author@example.org (Author Name)</author></item>
<item><guid>3</guid><author>author@example.org</author></item>
<item><guid>4</guid><dc:author>Dee Author (dee@example.org)</dc:author></item>
<item><guid>5</guid><author>Someone (the elder)</author></item></channel></rss>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.entries.map((e) => e.author)).toEqual([
      'Author Name',
      'Author Name',
      'author@example.org',
      'Dee Author',
      'Someone (the elder)',
    ]);
  });

  it('adds itunes:keywords to the categories', async () => {
    const xml = `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><guid>1</guid>
<category>Tech</category><itunes:keywords>ai, chips ,Tech</itunes:keywords></item></channel></rss>`;
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.entries[0]?.categories).toEqual(['Tech', 'ai', 'chips']);
  });

  it('resolves relative links against an xml:base on the <rss> root', async () => {
    const xml = `<rss version="2.0" xml:base="http://example.org/feeds/"><channel><link>/</link>
<item><title>i</title><link>post/1</link></item></channel></rss>`;
    const feed = await parseFeed(xml, { fetchedAt, url: 'https://elsewhere.example/rss' });
    expect(feed.siteUrl).toBe('http://example.org/');
    expect(feed.entries[0]?.url).toBe('http://example.org/feeds/post/1');
  });

  it('removes characters XML forbids, in text and in CDATA', async () => {
    const xml = '<rss version="2.0"><channel><title>a\u000bb</title><item><title>ab\u0008cd</title>' +
      '<description><![CDATA[x\u0001y]]></description></item></channel></rss>';
    const feed = await parseFeed(xml, { fetchedAt });
    expect(feed.title).toBe('ab');
    expect(feed.entries[0]).toMatchObject({ title: 'abcd', summary: 'xy' });
  });
});

describe('the base for links inside an item (baseUrl)', () => {
  const item = '<item><guid>g</guid><link>/news/a</link><description>&lt;a href="b.html"&gt;b&lt;/a&gt;</description></item>';
  it('is what the feed declares with xml:base, on the channel or the item', async () => {
    const channel = await parseFeed(`<rss version="2.0"><channel xml:base="https://x.example/archive/"><title>x</title>${item}</channel></rss>`, {
      url: 'https://x.example/feed.xml',
      fetchedAt,
    });
    expect(channel.entries[0]?.baseUrl).toBe('https://x.example/archive/');
    const own = await parseFeed(`<rss version="2.0"><channel><title>x</title>${item.replace('<item>', '<item xml:base="/2025/">')}</channel></rss>`, {
      url: 'https://x.example/feed.xml',
      fetchedAt,
    });
    expect(own.entries[0]?.baseUrl).toBe('https://x.example/2025/');
  });

  it('is null when nothing is declared, not the feed document (the entry link is the better base)', async () => {
    const feed = await parseFeed(`<rss version="2.0"><channel><title>x</title>${item}</channel></rss>`, { url: 'https://x.example/feed.xml', fetchedAt });
    expect(feed.entries[0]).toMatchObject({ url: 'https://x.example/news/a', baseUrl: null });
  });
});
