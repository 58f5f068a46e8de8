import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonFeed } from '@newsfold/render';
import { assertWellFormedXml, decodeHtmlText, hrefs, parseFeed } from '@newsfold/render/testdata';
import { createHarness, minutesAgo, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';

/** Everything Postgres can hold that a feed must not pass on raw (it cannot store U+0000 or lone surrogates). */
const NASTY = '<script>alert(1)</script> Q&A "quoted" \'single\' \u0001\u001b\u001f ]]> <img src=x onerror=alert(1)> end';

/** The stored links are never passed on, in any form. */
function assertNoHostileLinks(text: string, where: string): void {
  const lower = text.toLowerCase();
  for (const bad of ['javascript:', 'data:text']) expect(lower, `${where}: ${bad}`).not.toContain(bad);
}

/** Decoded HTML: no script element, no event handler attribute, links only over https (text that merely reads like markup is fine). */
function assertNoActiveContent(html: string, where: string): void {
  expect(html, `${where}: script`).not.toMatch(/<script/i);
  expect(html, `${where}: event handler`).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(html, `${where}: src`).not.toMatch(/<[a-z][^>]*\ssrc\s*=/i);
  assertNoHostileLinks(html, where);
  expect(hrefs(html).every((href) => href.startsWith('https://')), `${where}: hrefs ${hrefs(html).join(' ')}`).toBe(true);
}

/**
 * Hostile titles, summaries, outlet names and links as they come out of the database, served
 * through the API in every format and read back as a reader would: well-formed, no active content.
 */
describe('topic feeds served from hostile stored data', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness();
    const pool = h.db.pool;
    const evil = await seedOutlet(pool, `Outlet ${NASTY}`);
    const good = await seedOutlet(pool, 'Good Outlet');
    const evilFeed = await seedFeed(pool, 'https://evil.example/feed.xml');
    const goodFeed = await seedFeed(pool, 'https://good.example/feed.xml');
    await seedStory(pool, [
      { feedId: evilFeed, outletId: evil, title: NASTY, summary: `<p onclick="x()">Summary ${NASTY}</p>`, url: 'javascript:alert(1)', publishedAt: minutesAgo(30) },
      { feedId: goodFeed, outletId: good, title: `Headline ${NASTY}`, summary: null, url: 'data:text/html,<script>alert(1)</script>', publishedAt: minutesAgo(20) },
      { feedId: goodFeed, outletId: good, title: 'Plain follow-up', url: 'https://good.example/a?x=1&y=2', publishedAt: minutesAgo(10) },
    ]);
  });
  afterAll(async () => h?.close());

  it.each(['rss.xml', 'atom.xml'])('%s is well-formed, parses back, and links only over http(s)', async (file) => {
    const res = await h.request(`/topics/all/${file}`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    assertWellFormedXml(xml);
    assertNoHostileLinks(xml, file);
    const feed = await parseFeed(xml);
    expect(feed.items).toHaveLength(1);
    const [item] = feed.items;
    const content = String(file === 'rss.xml' ? item?.['content:encoded'] : item?.content);
    assertNoActiveContent(content, `${file} decoded content`);
    expect(hrefs(content)).toEqual(['https://good.example/a?x=1&y=2']);
    // The outlet whose link was refused still counts, listed without a link.
    expect(decodeHtmlText(content)).toContain('Covered by 2 outlets');
    // Atom titles are type="html": escaped once more.
    const title = file === 'atom.xml' ? decodeHtmlText(String(item?.title)) : String(item?.title);
    expect(title).toContain('<script>alert(1)</script> Q&A "quoted"');
  });

  it('feed.json is valid JSON whose HTML has no active content and whose links are http(s)', async () => {
    const res = await h.request('/topics/all/feed.json');
    expect(res.status).toBe(200);
    const feed = (await res.json()) as JsonFeed;
    const [item] = feed.items;
    expect(item?.title).toContain('<script>alert(1)</script>');
    assertNoActiveContent(item?.content_html ?? '', 'content_html');
    assertNoHostileLinks(JSON.stringify(feed), 'feed.json');
    expect(item?.url).toMatch(/^https:\/\//);
  });

  it('the story API passes on no stored link but an http(s) one', async () => {
    const res = await h.request('/api/v1/stories?topic=all');
    expect(res.status).toBe(200);
    const text = await res.text();
    assertNoHostileLinks(text, 'stories');
    const { stories } = JSON.parse(text) as { stories: { id: string; sourceCount: number; sources: { url: string | null }[] }[] };
    const [story] = stories;
    expect(story?.sourceCount).toBe(2);
    expect(story?.sources.map((s) => s.url)).toEqual([null, null, 'https://good.example/a?x=1&y=2']);
    const one = await h.request(`/api/v1/stories/${story?.id}`);
    assertNoHostileLinks(await one.text(), 'one story');
  });
});
