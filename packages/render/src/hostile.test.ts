import { describe, expect, it } from 'vitest';
import { renderTopicFeed } from './index.js';
import type { JsonFeed } from './json-feed.js';
import { source } from './testdata/fixtures.js';
import { decodeHtmlText, hrefs, parseFeed } from './testdata/parse.js';
import { assertWellFormedXml } from './testdata/xml-check.js';
import type { TopicFeedInput } from './types.js';

const NASTY = '<script>alert(1)</script> Q&amp;A & "quoted" \'single\' \u0000\u001b\uD800 ]]> ]]> end';
/** NASTY as plain text once the XML-illegal characters are gone: everything else survives as text. */
const NASTY_CLEAN = '<script>alert(1)</script> Q&amp;A & "quoted" \'single\'  ]]> ]]> end';
const GOOD_URL = 'https://good.example/a?x=1&y="2"';
const GOOD_URL_NORMALISED = 'https://good.example/a?x=1&y=%222%22';

function hostileInput(): TopicFeedInput {
  return {
    topic: { slug: 'evil topic/<x>', title: `Topic ${NASTY}`, description: `About ${NASTY}` },
    publicUrl: 'http://localhost:8080',
    ttlMinutes: 10,
    stories: [
      {
        id: '7\u0000',
        title: NASTY,
        summary: `Summary ${NASTY}`,
        firstSeenAt: new Date('2025-01-01T00:00:00Z'),
        updatedAt: new Date('2025-01-02T00:00:00Z'),
        sources: [
          source(`Outlet ${NASTY}`, 'javascript:alert(1)', '2024-12-31T00:00:00Z'),
          source('Data', 'data:text/html,<script>alert(1)</script>', '2024-12-31T01:00:00Z'),
          source('Tabbed', ' java\tscript:alert(1)', '2024-12-31T02:00:00Z'),
          source('Relative', '/relative/path', '2024-12-31T03:00:00Z'),
          source(`Good ${NASTY}`, GOOD_URL, '2025-01-01T00:00:00Z', `Headline ${NASTY}`),
        ],
      },
    ],
  };
}

function assertNoActiveContent(text: string): void {
  expect(text.toLowerCase()).not.toContain('<script');
  expect(text.toLowerCase()).not.toContain('javascript:');
  expect(text.toLowerCase()).not.toContain('data:');
}

describe.each(['rss', 'atom'] as const)('hostile input as %s', (format) => {
  const xml = renderTopicFeed(format, hostileInput());

  it('is still well-formed XML without illegal characters', async () => {
    assertWellFormedXml(xml);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    await expect(parseFeed(xml)).resolves.toBeDefined();
  });

  it('never carries active content, raw or decoded', async () => {
    assertNoActiveContent(xml);
    const [item] = (await parseFeed(xml)).items;
    const content = String(format === 'rss' ? item?.['content:encoded'] : item?.content);
    assertNoActiveContent(content);
    expect(hrefs(content)).toEqual([GOOD_URL_NORMALISED]);
    expect(item?.link).toBe('http://localhost:8080/stories/7');
    // The sources with refused links are still listed, as text.
    expect(decodeHtmlText(content)).toContain('Covered by 5 outlets');
    expect(content).toContain('<strong>Data</strong>: Data headline');
  });

  it('keeps hostile titles, names and summaries as text', async () => {
    const feed = await parseFeed(xml);
    const [item] = feed.items;
    // Atom titles (the feed's and the entries') are type="html": one more level of decoding gives the text back.
    expect(format === 'atom' ? decodeHtmlText(feed.title ?? '') : feed.title).toBe(`newsfold — Topic ${NASTY_CLEAN}`);
    const title = format === 'atom' ? decodeHtmlText(item?.title ?? '') : item?.title;
    expect(title).toBe(NASTY_CLEAN);
    const content = String(format === 'rss' ? item?.['content:encoded'] : item?.content);
    expect(decodeHtmlText(content)).toContain(`Summary ${NASTY_CLEAN}`);
    expect(decodeHtmlText(content)).toContain(`Good ${NASTY_CLEAN}`);
    expect(decodeHtmlText(content)).toContain(`Headline ${NASTY_CLEAN}`);
    expect(content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(item?.guid ?? item?.id).toBe('urn:newsfold:story:7');
  });

  it('percent-encodes the slug in feed URLs', async () => {
    const feed = await parseFeed(xml);
    expect(feed.feedUrl).toBe(`http://localhost:8080/topics/evil%20topic%2F%3Cx%3E/${format === 'rss' ? 'rss.xml' : 'atom.xml'}`);
  });
});

describe('hostile input as json', () => {
  const text = renderTopicFeed('json', hostileInput());

  it('parses, and keeps hostile text as text', () => {
    const feed = JSON.parse(text) as JsonFeed;
    const [item] = feed.items;
    expect(item?.title).toBe(NASTY_CLEAN);
    expect(item?.summary).toBe(`Summary ${NASTY_CLEAN}`);
    expect(item?.url).toBe('http://localhost:8080/stories/7');
    // Sources whose links are refused still count as coverage, listed without a link.
    expect(item?.authors).toEqual([`Outlet ${NASTY_CLEAN}`, 'Data', 'Tabbed', 'Relative', `Good ${NASTY_CLEAN}`].map((name) => ({ name })));
    assertNoActiveContent(item?.content_html ?? '');
    expect(hrefs(item?.content_html ?? '')).toEqual([GOOD_URL_NORMALISED]);
  });

  it('has no raw markup or control characters in the document itself', () => {
    assertNoActiveContent(text);
    expect(text).not.toMatch(/[<>&\u0000-\u0008\u000B\u000C\u000E-\u001F\u2028\u2029]/);
    expect(text).not.toMatch(/\\u(?:d[89ab][0-9a-f]{2}|0000|001b)/i);
  });
});

describe('assertWellFormedXml (the check the tests above rely on)', () => {
  it.each([
    ['bare ampersand', '<a>x & y</a>'],
    ['lt in an attribute', '<a href="x<y"/>'],
    ['control character', '<a>\u0001</a>'],
    ['lone surrogate', '<a>\uD800</a>'],
    ['unbalanced tags', '<a><b></a>'],
    ['unterminated CDATA', '<a><![CDATA[x</a>'],
    ['two roots', '<a/><b/>'],
    ['"]]>" outside CDATA', '<a><![CDATA[x]]> y]]></a>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => assertWellFormedXml(xml)).toThrow();
  });

  it('accepts entities, CDATA and a declaration', () => {
    expect(() => assertWellFormedXml('<?xml version="1.0"?>\n<a x="&amp;">&lt;<![CDATA[<b>&]]></a>')).not.toThrow();
  });
});
