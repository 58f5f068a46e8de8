import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { fetchUrl, parseRetryAfter, type FetchOptions } from './fetch-url.js';
import { closeFetcher } from './guarded-agent.js';
import { failure } from './testdata/failure.js';

const base: FetchOptions = {
  timeoutMs: 2_000,
  maxBytes: 1_000_000,
  maxRedirects: 3,
  allowPrivateNetworks: true,
  userAgent: 'newsfold/test (+http://localhost)',
};

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(closeFetcher);

describe('fetchUrl', () => {
  it('sends validators and honest headers, and reports 304', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Wed, 25 Nov 2026 10:00:00 GMT', 'content-type': 'application/rss+xml' });
      res.end('<rss/>');
    });
    const first = await fetchUrl(`${server.url}/feed`, base);
    expect(first.notModified).toBe(false);
    if (first.notModified) return;
    expect(new TextDecoder().decode(first.body)).toBe('<rss/>');
    expect(first.etag).toBe('"v1"');
    const second = await fetchUrl(`${server.url}/feed`, { ...base, etag: first.etag, lastModified: first.lastModified });
    expect(second.notModified).toBe(true);
    const req = server.requests[1];
    expect(req?.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(req?.headers['user-agent']).toBe(base.userAgent);
    expect(req?.headers.accept).toContain('application/atom+xml');
  });

  it('follows redirects and reports a permanent move only when every hop was permanent', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/moved' }).end();
      else if (req.url === '/moved') res.writeHead(308, { location: '/new' }).end();
      else if (req.url === '/temp') res.writeHead(302, { location: '/new' }).end();
      else res.writeHead(200).end('ok');
    });
    const moved = await fetchUrl(`${server.url}/old`, base);
    expect(moved.notModified === false && moved.permanentUrl).toBe(`${server.url}/new`);
    const temp = await fetchUrl(`${server.url}/temp`, base);
    expect(temp.notModified === false && temp.permanentUrl).toBeNull();
  });

  it('stops redirect loops and long chains', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(302, { location: '/a' }).end();
      else res.writeHead(302, { location: `/n${Number(req.url?.slice(2) || 0) + 1}` }).end();
    });
    expect((await failure(fetchUrl(`${server.url}/a`, base))).code).toBe('redirect_loop');
    expect((await failure(fetchUrl(`${server.url}/n0`, base))).code).toBe('too_many_redirects');
  });

  it('caps the body after decompression', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 'a'));
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
    });
    expect(bomb.length).toBeLessThan(base.maxBytes);
    expect((await failure(fetchUrl(`${server.url}/`, base))).code).toBe('too_large');
  });

  it('cuts off a slow-drip server at the deadline', async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    expect((await failure(fetchUrl(`${server.url}/`, { ...base, timeoutMs: 500 }))).code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('maps 410, 429 with Retry-After and other statuses', async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/gone') res.writeHead(410).end();
      else if (req.url === '/slow-down') res.writeHead(429, { 'retry-after': '120' }).end();
      else res.writeHead(500).end();
    });
    const gone = await failure(fetchUrl(`${server.url}/gone`, base));
    expect([gone.code, gone.permanent]).toEqual(['gone', true]);
    const limited = await failure(fetchUrl(`${server.url}/slow-down`, base));
    expect([limited.code, limited.retryAfterMs]).toEqual(['rate_limited', 120_000]);
    const broken = await failure(fetchUrl(`${server.url}/x`, base));
    expect([broken.code, broken.status, broken.permanent]).toEqual(['http_error', 500, false]);
  });

  it('refuses private addresses in any spelling without sending a request', async () => {
    server = await startLoopbackServer((_req, res) => res.writeHead(200).end('secret'));
    const port = new URL(server.url).port;
    const strict = { ...base, allowPrivateNetworks: false };
    const spellings = [
      '127.0.0.1', '2130706433', '0x7f.1', '0x7f000001', '0177.0.0.1', '127.1', '0', '0.0.0.0',
      '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', 'localhost', 'LOCALHOST',
    ];
    for (const host of spellings) {
      const error = await failure(fetchUrl(`http://${host}:${port}/`, strict));
      expect(error.code, host).toBe('blocked_address');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('reaches the same spellings when private networks are allowed', async () => {
    server = await startLoopbackServer((_req, res) => res.writeHead(200).end('ok'));
    const port = new URL(server.url).port;
    for (const host of ['2130706433', '0x7f.1', '[::ffff:127.0.0.1]']) {
      const result = await fetchUrl(`http://${host}:${port}/`, base);
      expect(result.status, host).toBe(200);
    }
    expect(server.requests).toHaveLength(3);
  });

  it('refuses redirects and URLs to schemes other than http and https', async () => {
    // Redirects into private addresses are tested per hop in guarded-agent.test.ts, where an
    // injected resolver lets one loopback server play the public internet.
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/to-file') res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      else res.writeHead(302, { location: 'gopher://127.0.0.1/' }).end();
    });
    expect((await failure(fetchUrl(`${server.url}/to-file`, base))).code).toBe('unsupported_scheme');
    expect((await failure(fetchUrl(`${server.url}/to-gopher`, base))).code).toBe('unsupported_scheme');
    expect((await failure(fetchUrl('file:///etc/passwd', base))).code).toBe('unsupported_scheme');
    expect((await failure(fetchUrl('not a url', base))).code).toBe('invalid_url');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', Date.parse('2026-11-26T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
