import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtmlText, parseFeed } from '@newsfold/render/testdata';
import { createHarness, type Harness } from './testdata/harness.js';

/**
 * An admin gives a topic a title and description holding markup; every place they reach a reader
 * is read back as that reader would, and no markup is live anywhere: the RSS channel description
 * and the Atom title and subtitle (text readers render as HTML) hold no `<` once parsed; the web
 * pages and the topics OPML escape them. (Each format in detail: render's topic-text.test.ts.)
 */

const MARKUP = '<img src=x onerror=alert(1)>';
const TITLE = `Quakes ${MARKUP} & more`;
const DESCRIPTION = `Tremors ${MARKUP} "everywhere"`;

describe('a topic whose title and description hold markup', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness();
    const res = await h.admin('/api/v1/topics/quakes', { method: 'PUT', body: JSON.stringify({ title: TITLE, description: DESCRIPTION }) });
    expect(res.status).toBe(201);
  });
  afterAll(async () => h?.close());

  async function text(path: string): Promise<string> {
    const res = await h.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  }

  it('reaches feed readers as text, never as markup', async () => {
    const rss = await parseFeed(await text('/topics/quakes/rss.xml'));
    expect(rss.description).not.toContain('<');
    expect(decodeHtmlText(String(rss.description))).toBe(DESCRIPTION);
    expect(rss.title).toBe(`newsfold — ${TITLE}`);

    const atom = await parseFeed(await text('/topics/quakes/atom.xml'));
    for (const [value, expected] of [
      [atom.title, `newsfold — ${TITLE}`],
      [atom['subtitle'], DESCRIPTION],
    ] as const) {
      expect(value).not.toContain('<');
      expect(decodeHtmlText(String(value))).toBe(expected);
    }

    const json = JSON.parse(await text('/topics/quakes/feed.json')) as { title: string; description: string };
    expect(json).toMatchObject({ title: `newsfold — ${TITLE}`, description: DESCRIPTION });
  });

  it('is escaped on the web pages and in the topics OPML', async () => {
    for (const path of ['/', '/topics/quakes', '/topics.opml']) {
      const page = await text(path);
      expect(page, path).not.toContain('<img');
      expect(page, path).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });
});
