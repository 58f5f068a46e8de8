import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { fetchFeedDocument, looksLikeHtml } from './fetch-feed-document.js';
import type { FetchOptions } from './fetch-url.js';
import { closeFetcher, createGuardedAgent, type Resolver } from './guarded-agent.js';
import { failure } from './testdata/failure.js';

const base: FetchOptions = {
  timeoutMs: 2_000,
  maxBytes: 1_000_000,
  maxRedirects: 3,
  allowPrivateNetworks: true,
  userAgent: 'newsfold/test (+http://localhost)',
};

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';
const html = (head: string) => `<!DOCTYPE html>\n<html><head><title>Site</title>${head}</head><body>hi</body></html>`;
const send = (res: ServerResponse, type: string, body: string) => res.writeHead(200, { 'content-type': type }).end(body);

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(closeFetcher);

describe('fetchFeedDocument', () => {
  it('returns a feed as it is', async () => {
    server = await startLoopbackServer((_req, res) => send(res, 'application/rss+xml', RSS));
    const result = await fetchFeedDocument(`${server.url}/feed.xml`, base);
    expect(result.url).toBe(`${server.url}/feed.xml`);
    expect(result.discoveredFrom).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('follows the first feed link of an HTML page', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/') {
        send(res, 'text/html; charset=utf-8', html(`
          <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
          <link rel="alternate" type="application/atom+xml" href="/atom.xml">`));
      } else if (req.url === '/feed.xml') send(res, 'application/rss+xml', RSS);
      else res.writeHead(404).end();
    });
    const result = await fetchFeedDocument(`${server.url}/`, { ...base, etag: '"page"' });
    expect(result.notModified).toBe(false);
    if (result.notModified) return;
    expect([result.url, result.discoveredFrom, result.contentType]).toEqual([`${server.url}/feed.xml`, `${server.url}/`, 'application/rss+xml']);
    expect(new TextDecoder().decode(result.body)).toBe(RSS);
    expect(server.requests.map((r) => r.url)).toEqual(['/', '/feed.xml']);
    // The page's validators are not sent for the feed.
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('resolves relative and <base> links against the page after its redirects', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/home') res.writeHead(301, { location: '/blog/index.html' }).end();
      else if (req.url === '/blog/index.html') send(res, 'text/html', html('<link rel="alternate" type="application/atom+xml" href="atom.xml">'));
      else if (req.url === '/based') send(res, 'text/html', html('<base href="/b/"><link rel="alternate" type="application/rss+xml" href="rss">'));
      else if (req.url === '/blog/atom.xml' || req.url === '/b/rss') send(res, 'application/xml', RSS);
      else res.writeHead(404).end();
    });
    const relative = await fetchFeedDocument(`${server.url}/home`, base);
    expect([relative.url, relative.discoveredFrom]).toEqual([`${server.url}/blog/atom.xml`, `${server.url}/blog/index.html`]);
    const based = await fetchFeedDocument(`${server.url}/based`, base);
    expect(based.url).toBe(`${server.url}/b/rss`);
  });

  it('recognises HTML served under a wrong content type', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/') send(res, 'text/plain', `\ufeff  <!-- hi -->${html('<link rel="alternate" type="application/rss+xml" href="/f">')}`);
      else send(res, 'application/rss+xml', RSS);
    });
    expect((await fetchFeedDocument(`${server.url}/`, base)).url).toBe(`${server.url}/f`);
  });

  it('is not_a_feed for HTML without feed links, or a feed link that is HTML again', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/loop') send(res, 'text/html', html('<link rel="alternate" type="application/rss+xml" href="/loop2">'));
      else if (req.url === '/loop2') send(res, 'text/html', html('<link rel="alternate" type="application/rss+xml" href="/loop">'));
      else send(res, 'text/html', html('<link rel="stylesheet" href="/s.css">'));
    });
    const none = await failure(fetchFeedDocument(`${server.url}/`, base));
    expect([none.code, none.permanent]).toEqual(['not_a_feed', false]);
    expect((await failure(fetchFeedDocument(`${server.url}/loop`, base))).code).toBe('not_a_feed');
    expect(server.requests.map((r) => r.url)).toEqual(['/', '/loop', '/loop2']);
  });

  it('passes on 304 and fetch errors from the page or the feed', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else if (req.url === '/page') send(res, 'text/html', html('<link rel="alternate" type="application/rss+xml" href="/gone">'));
      else res.writeHead(410).end();
    });
    expect((await fetchFeedDocument(`${server.url}/page`, { ...base, etag: '"v1"' })).notModified).toBe(true);
    expect((await failure(fetchFeedDocument(`${server.url}/page`, base))).code).toBe('gone');
  });

  it('refuses a feed link into a private network when private networks are not allowed', async () => {
    // page.test plays a public site (127.0.0.1 is allowed here); its feed link names internal.test,
    // which resolves to another spelling of loopback, playing the private network.
    let feedHits = 0;
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/f') feedHits += 1;
      send(res, 'text/html', html(`<link rel="alternate" type="application/rss+xml" href="http://internal.test:${port}/f">`));
    });
    const port = new URL(server.url).port;
    const answers: Record<string, string> = { 'page.test': '127.0.0.1', 'internal.test': '::ffff:127.0.0.1' };
    const resolve: Resolver = async (hostname) => {
      const address = answers[hostname];
      if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    };
    const dispatcher = createGuardedAgent({ resolve, isAllowed: (address) => address === '127.0.0.1' });
    try {
      const error = await failure(fetchFeedDocument(`http://page.test:${port}/`, { ...base, allowPrivateNetworks: false, dispatcher }));
      expect(error.code).toBe('blocked_address');
      expect(server.requests.map((r) => r.url)).toEqual(['/']);
      expect(feedHits).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });
});

describe('looksLikeHtml', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it.each([
    ['<!DOCTYPE html><html>', null, true],
    ['<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html>', 'application/xml', true],
    ['  <html lang="en">', 'application/octet-stream', true],
    [RSS, 'text/html', false],
    ['<feed xmlns="http://www.w3.org/2005/Atom">', 'text/html; charset=utf-8', false],
    ['<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><rss>', 'text/html', false],
    ['<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x"><rss>', 'text/html', false],
    ['{"version":"https://jsonfeed.org/version/1.1"}', 'text/html', false],
    ['<p>fragment</p>', 'text/html', true],
    ['<p>fragment</p>', 'text/xml', false],
  ])('%s (%s) → %s', (body, type, expected) => expect(looksLikeHtml(bytes(body), type)).toBe(expected));
});
