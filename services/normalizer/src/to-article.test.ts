import { describe, expect, it } from 'vitest';
import type { WireEntry } from '@newsfold/queue';
import { toArticle } from './to-article.js';

const FEED_URL = 'https://alpha.example/feed.xml';

function entry(overrides: Partial<WireEntry> = {}): WireEntry {
  return {
    guid: 'g-1',
    url: 'https://alpha.example/news/storm',
    title: 'Storm Brennan reaches the coast',
    summary: 'Winds of 120 km/h are expected.',
    contentHtml: null,
    author: 'A. Writer',
    publishedAt: '2026-11-26T10:00:00.000Z',
    categories: [],
    imageUrl: null,
    ...overrides,
  };
}

describe('toArticle', () => {
  it('resolves relative links in the HTML against the declared base (xml:base), else the entry link', () => {
    const html = '<p>See <a href="more.html">more</a> and <img src="/img/a.png"></p>';
    const declared = toArticle(entry({ contentHtml: html, baseUrl: 'https://alpha.example/archive/2026/' }), FEED_URL);
    expect(declared.contentHtml).toContain('href="https://alpha.example/archive/2026/more.html"');
    expect(declared.contentHtml).toContain('src="https://alpha.example/img/a.png"');
    const undeclared = toArticle(entry({ contentHtml: html }), FEED_URL);
    expect(undeclared.contentHtml).toContain('href="https://alpha.example/news/more.html"');
  });

  it('strips HTML and decodes entities in the title and summary', () => {
    const article = toArticle(
      entry({
        title: '<b>Storm</b> &amp; floods: <i>ports</i> close',
        summary: '<p>Ferries &quot;suspended&quot;</p><script>alert(1)</script><p>until&nbsp;Monday</p>',
      }),
      FEED_URL,
    );
    expect(article.title).toBe('Storm & floods: ports close');
    expect(article.summary).not.toMatch(/[<>]|alert|&quot;|&nbsp;/);
    expect(article.summary).toContain('Ferries "suspended"');
    expect(article.summary).toContain('Monday');
    expect(article.titleKey).toBe('storm floods ports close');
    // The HTML kept for display is sanitised: the script is gone, the paragraphs stay.
    expect(article.contentHtml).not.toMatch(/script|alert/);
    expect(article.contentHtml).toContain('<p>');
    expect(article.contentHtml).toContain('Monday');
  });

  it('decodes a doubly encoded title once more', () => {
    expect(toArticle(entry({ title: 'AT&amp;amp;T &amp;#8216;deal&amp;#8217;' }), FEED_URL).title).toBe('AT&T ‘deal’');
  });

  it('canonicalises the URL: tracking parameters and fragment removed, relative links resolved', () => {
    const tracked = toArticle(entry({ url: 'https://alpha.example/news/storm?utm_source=rss&id=7&fbclid=abc#comments' }), FEED_URL);
    expect(tracked.url).toBe('https://alpha.example/news/storm?id=7');
    expect(toArticle(entry({ url: '/news/relative' }), FEED_URL).url).toBe('https://alpha.example/news/relative');
    expect(toArticle(entry({ url: 'javascript:alert(1)' }), FEED_URL).url).toBeNull();
    expect(toArticle(entry({ url: null }), FEED_URL).url).toBeNull();
  });

  it('falls back to the start of the summary, or content, when the title is missing', () => {
    const long = `${'word '.repeat(60)}end`;
    const fromSummary = toArticle(entry({ title: '', summary: long }), FEED_URL);
    expect(fromSummary.title.length).toBeLessThanOrEqual(121);
    expect(fromSummary.title.startsWith('word word')).toBe(true);
    expect(fromSummary.title.endsWith('…')).toBe(true);
    const fromContent = toArticle(entry({ title: '  <br/> ', summary: null, contentHtml: '<p>Short <em>note</em></p>' }), FEED_URL);
    expect(fromContent.title).toBe('Short note');
    expect(toArticle(entry({ title: '', summary: null }), FEED_URL).title).toBe('(untitled)');
  });

  it('cuts a headline longer than 300 characters at a word, marked as cut', () => {
    const article = toArticle(entry({ title: `Breaking ${'alphabet '.repeat(3000)}end` }), FEED_URL);
    expect(article.title.length).toBeLessThanOrEqual(301);
    expect(article.title).toMatch(/^Breaking (alphabet )*alphabet…$/);
    expect(toArticle(entry({ title: 'x'.repeat(300) }), FEED_URL).title).toBe('x'.repeat(300));
  });

  it('truncates long summaries', () => {
    const article = toArticle(entry({ summary: 'lorem ipsum '.repeat(500) }), FEED_URL);
    expect(article.summary?.length).toBeLessThanOrEqual(1_001);
    expect(article.summary?.endsWith('…')).toBe(true);
  });

  it('has a content hash that is stable for equal input and changes with the title', () => {
    const a = toArticle(entry(), FEED_URL);
    const b = toArticle(entry(), FEED_URL);
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // Markup that reduces to the same text is the same content.
    expect(toArticle(entry({ title: '<b>Storm Brennan</b> reaches the coast' }), FEED_URL).contentHash).toBe(a.contentHash);
    expect(toArticle(entry({ title: 'Storm Brennan reaches the shore' }), FEED_URL).contentHash).not.toBe(a.contentHash);
    expect(toArticle(entry({ summary: 'Other text.' }), FEED_URL).contentHash).not.toBe(a.contentHash);
    // Categories and images are not stored, so they do not change the hash.
    expect(toArticle(entry({ categories: ['weather'], imageUrl: 'https://alpha.example/i.jpg' }), FEED_URL).contentHash).toBe(a.contentHash);
  });

  it('keeps dates, and drops an unreadable one instead of failing the entry', () => {
    expect(toArticle(entry(), FEED_URL).publishedAt?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(toArticle(entry({ publishedAt: null }), FEED_URL).publishedAt).toBeNull();
    const bad = toArticle(entry({ publishedAt: 'not a date' }), FEED_URL);
    expect(bad.publishedAt).toBeNull();
    expect(bad.contentHash).toBe(toArticle(entry({ publishedAt: null }), FEED_URL).contentHash);
  });
});
