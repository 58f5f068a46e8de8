import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '@newsfold/feed-parser';
import { fillDates, startDemoServer, type DemoServer } from './demo-server.js';

describe('fillDates', () => {
  const start = new Date('2026-11-26T12:00:00Z');
  it('writes RFC 822 and ISO dates relative to the start', () => {
    expect(fillDates('<pubDate>{{rfc822:-90m}}</pubDate>', start)).toBe('<pubDate>Thu, 26 Nov 2026 10:30:00 GMT</pubDate>');
    expect(fillDates('"{{iso:-2h}}"', start)).toBe('"2026-11-26T10:00:00.000Z"');
  });
});

describe('startDemoServer', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer(0);
  });
  afterAll(() => server.close());

  it('serves the five sample outlets as valid, dated feeds', async () => {
    expect(server.feedUrls).toHaveLength(5);
    const now = Date.now();
    let entries = 0;
    const formats = new Set<string>();
    for (const url of server.feedUrls) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).not.toContain('{{');
      const feed = await parseFeed(body, { url, contentType: res.headers.get('content-type') });
      formats.add(feed.format);
      expect(feed.title).toBeTruthy();
      for (const entry of feed.entries) {
        expect(entry.publishedAt, `${url} ${entry.guid}`).not.toBeNull();
        const age = now - (entry.publishedAt?.getTime() ?? 0);
        expect(age).toBeGreaterThan(0);
        expect(age).toBeLessThan(31 * 3_600_000);
      }
      entries += feed.entries.length;
    }
    expect(formats).toEqual(new Set(['rss', 'atom', 'json']));
    expect(entries).toBe(40);
    expect((await fetch(`${server.url}/nope.xml`)).status).toBe(404);
  });
});
