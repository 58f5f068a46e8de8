import { describe, expect, it } from 'vitest';
import { discoverFeedLinks } from './discover-feeds.js';

const page = (head: string, body = '<p>hello</p>') => `<!doctype html><html><head><title>Site</title>${head}</head><body>${body}</body></html>`;

describe('discoverFeedLinks', () => {
  it('finds RSS, Atom and JSON Feed links in page order, resolved against the page URL', () => {
    const html = page(`
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml" />
      <link rel="alternate" type="application/feed+json" href="https://cdn.example.com/feed.json">`);
    expect(discoverFeedLinks(html, 'https://example.com/blog/')).toEqual([
      { url: 'https://example.com/atom.xml', type: 'application/atom+xml', title: 'Atom' },
      { url: 'https://example.com/blog/feed.xml', type: 'application/rss+xml', title: 'RSS' },
      { url: 'https://cdn.example.com/feed.json', type: 'application/feed+json', title: null },
    ]);
  });

  it('resolves against <base href>, itself relative to the page', () => {
    const html = page('<base href="/news/"><link rel="alternate" type="application/rss+xml" href="rss">');
    expect(discoverFeedLinks(html, 'https://example.com/a/b.html').map((f) => f.url)).toEqual(['https://example.com/news/rss']);
  });

  it('tolerates attribute order, case, quoting, parameters, entities and `>` in values', () => {
    const html = page(`
      <LINK HREF=/one.xml TYPE="Application/RSS+XML; charset=utf-8" REL='Alternate Feed'>
      <link title="News > World" href="/two.xml?a=1&amp;b=2&copy=3" rel="home alternate" type="application/atom+xml">`);
    expect(discoverFeedLinks(html, 'http://example.com/')).toEqual([
      { url: 'http://example.com/one.xml', type: 'application/rss+xml', title: null },
      { url: 'http://example.com/two.xml?a=1&b=2&copy=3', type: 'application/atom+xml', title: 'News > World' },
    ]);
  });

  it('takes application/json only when the title calls it a feed', () => {
    const html = page(`
      <link rel="alternate" type="application/json" title="JSON" href="/wp-json/wp/v2/pages/2">
      <link rel="alternate" type="application/json" href="/data.json">
      <link rel="alternate" type="application/json" title="My JSON Feed" href="/feed.json">`);
    expect(discoverFeedLinks(html, 'https://example.com/').map((f) => f.url)).toEqual(['https://example.com/feed.json']);
  });

  it('skips other rels and types, non-http schemes, empty hrefs and duplicates', () => {
    const html = page(`
      <link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
      <link rel="feed" type="application/rss+xml" href="/not-alternate.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="data:text/xml,<rss/>">
      <link rel="alternate" type="application/rss+xml" href="">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" type="application/rss+xml" href="https://example.com/feed.xml#top">`);
    expect(discoverFeedLinks(html, 'https://example.com/')).toEqual([
      { url: 'https://example.com/feed.xml', type: 'application/rss+xml', title: null },
    ]);
  });

  it('ignores links in comments, scripts and the body', () => {
    const html = page(
      `<!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
       <script>document.write('<link rel="alternate" type="application/rss+xml" href="/scripted.xml">')</script>
       <link rel="alternate" type="application/rss+xml" href="/real.xml">`,
      '<link rel="alternate" type="application/rss+xml" href="/body.xml">',
    );
    expect(discoverFeedLinks(html, 'https://example.com/').map((f) => f.url)).toEqual(['https://example.com/real.xml']);
  });

  it('copes with pages without head or body tags, and with garbage', () => {
    expect(discoverFeedLinks('<link rel=alternate type=application/rss+xml href=/f>', 'https://example.com/x')).toHaveLength(1);
    expect(discoverFeedLinks('<link rel="alternate" type="application/rss+xml" href="/f', 'https://example.com/')).toEqual([]);
    expect(discoverFeedLinks('', 'https://example.com/')).toEqual([]);
    expect(discoverFeedLinks(page('<link rel="alternate" type="application/rss+xml" href="/f">'), 'not a url')).toEqual([]);
    expect(discoverFeedLinks(page('<link rel="alternate" type="application/rss+xml" href="http://[bad">'), 'https://example.com/')).toEqual([]);
  });
});
