import { describe, expect, it } from 'vitest';
import { renderTopicFeed } from './index.js';
import type { JsonFeed } from './json-feed.js';
import { sampleStories } from './testdata/fixtures.js';
import { decodeHtmlText, parseFeed } from './testdata/parse.js';
import type { TopicFeedInput } from './types.js';

/**
 * A topic's title and description are set by an admin and reach every reader of its feeds. Each
 * is written as the same kind of text as the entries' (RSS: descriptions are HTML, titles plain
 * text; Atom: type="html", as the entries' titles and summaries; JSON Feed: plain text, by its
 * spec), so markup in them reaches no reader as markup: parsed back, text a reader treats as HTML
 * holds no `<` (without one there is no element, no attribute, no script) and decodes to the text
 * as the admin typed it.
 */

const MARKUP = '<img src=x onerror=alert(1)> <b>Bold</b> Q&A "quoted"';
const TITLE = `Title ${MARKUP}`;
const DESCRIPTION = `About ${MARKUP}`;

function input(): TopicFeedInput {
  return {
    topic: { slug: 'marked', title: TITLE, description: DESCRIPTION },
    stories: sampleStories(),
    publicUrl: 'https://news.example.org',
    ttlMinutes: 10,
  };
}

/** Text a reader renders as HTML: it must hold no markup, and show the text as written. */
function expectInertHtml(html: unknown, text: string, label: string): void {
  expect(typeof html, label).toBe('string');
  expect(html, label).not.toContain('<');
  expect(decodeHtmlText(String(html)), label).toBe(text);
}

describe('a topic title and description holding markup', () => {
  it('RSS: the channel description is HTML like every item description; the title plain text like every item title', async () => {
    const xml = renderTopicFeed('rss', input());
    const feed = await parseFeed(xml);
    expectInertHtml(feed.description, DESCRIPTION, 'channel description');
    // As item titles: plain text (what readers show as text), never HTML-escaped twice.
    expect(feed.title).toBe(`newsfold — ${TITLE}`);
    expect(feed.items[0]?.title).toBe('US and Ukraine hold talks in Jeddah');
  });

  it('Atom: the feed title and subtitle are type="html", as every entry title and summary', async () => {
    const xml = renderTopicFeed('atom', input());
    expect(xml).toMatch(/<title type="html">newsfold — Title &amp;lt;img/);
    expect(xml).toMatch(/<subtitle type="html">About &amp;lt;img/);
    const feed = await parseFeed(xml);
    // A reader honouring type="html" and one that renders any Atom text as HTML read the same.
    expectInertHtml(feed.title, `newsfold — ${TITLE}`, 'feed title');
    expectInertHtml(feed['subtitle'], DESCRIPTION, 'feed subtitle');
  });

  it('JSON Feed: title and description are plain text, as every item title and summary', () => {
    const feed = JSON.parse(renderTopicFeed('json', input())) as JsonFeed;
    expect(feed.title).toBe(`newsfold — ${TITLE}`);
    expect(feed.description).toBe(DESCRIPTION);
  });
});
