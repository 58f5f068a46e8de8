import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, clientKey, ReadLimiter } from './read-limiter.js';
import { startApi, type ApiServer } from './server.js';
import { rawGet } from './testdata/raw-get.js';
import { createHarness, minutesAgo, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';

describe('ReadLimiter', () => {
  it('allows bursts of ten seconds of the rate, then one read per 1/rate seconds', () => {
    const limiter = new ReadLimiter(1);
    const taken = Array.from({ length: 12 }, () => limiter.take('a', 1000));
    expect(taken.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(taken[10]).toBeCloseTo(1);
    expect(new ReadLimiter(5).take('c', 0)).toBe(0);
  });

  it('refills at the rate, up to the burst', () => {
    const limiter = new ReadLimiter(5);
    const taken = Array.from({ length: 51 }, () => limiter.take('a', 1000));
    expect(taken.slice(0, 50)).toEqual(Array(50).fill(0));
    expect(taken[50]).toBeCloseTo(0.2);
    expect(limiter.take('a', 1100)).toBeCloseTo(0.1);
    expect(limiter.take('a', 1200)).toBe(0);
    expect(limiter.take('a', 1200)).toBeGreaterThan(0);
    // Others have their own bucket; a long pause refills to the burst, not beyond.
    expect(limiter.take('b', 1200)).toBe(0);
    const later = Array.from({ length: 51 }, () => limiter.take('a', 60_000));
    expect(later.filter((w) => w === 0)).toHaveLength(50);
  });

  it('counts IPv4 clients by address and IPv6 clients by their /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:0DB8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey(undefined)).toBe('unknown');
  });

  it('takes the client from X-Forwarded-For only as far as proxies are trusted', () => {
    const request = (forwarded?: string | string[]) =>
      ({ headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }, socket: { remoteAddress: '10.0.0.2' } }) as Parameters<typeof clientAddress>[0];
    expect(clientAddress(request('203.0.113.7'), 0)).toBe('10.0.0.2');
    expect(clientAddress(request('203.0.113.7'), 1)).toBe('203.0.113.7');
    // Whatever the client wrote itself comes first, and is passed over.
    expect(clientAddress(request('6.6.6.6, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('6.6.6.6, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request(['6.6.6.6', '203.0.113.7']), 1)).toBe('203.0.113.7');
    // Too few entries, or none: the socket.
    expect(clientAddress(request('203.0.113.7'), 2)).toBe('10.0.0.2');
    expect(clientAddress(request(), 1)).toBe('10.0.0.2');
    expect(clientAddress(request(' , '), 1)).toBe('10.0.0.2');
  });

  it('limits nothing at rate 0', () => {
    const limiter = new ReadLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a', 0)).toBe(0);
  });
});

/** A GET from a chosen loopback address. */
const get = (url: string, from = '127.0.0.1', headers: Record<string, string> = {}) => rawGet(url, headers, { localAddress: from });

describe('API_READ_RATE over real sockets', () => {
  let h: Harness;
  let api: ApiServer;

  beforeAll(async () => {
    h = await createHarness();
    const feedId = await seedFeed(h.db.pool, 'https://a.example/feed.xml');
    const outletId = await seedOutlet(h.db.pool, 'A');
    for (let i = 0; i < 3; i++) await seedStory(h.db.pool, [{ feedId, outletId, title: `Story ${i}`, publishedAt: minutesAgo(10 + i) }]);
    // 1 read/s, bursts of 10: a refusal needs eleven uncached requests within a second.
    api = await startApi({ ...h.deps, config: { ...h.deps.config, apiReadRate: 1 } }, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  it('answers 429 with Retry-After past the burst of uncached reads, and never for cached ones or 304s', async () => {
    const feed = (limit: number) => `${api.url}/topics/all/rss.xml?limit=${limit}`;
    expect((await get(feed(1))).status).toBe(200);
    expect((await get(`${api.url}/api/v1/stories?limit=2`)).status).toBe(200);
    for (let limit = 3; limit <= 10; limit++) expect((await get(feed(limit))).status, `limit=${limit}`).toBe(200);
    const refused = await get(feed(11));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body.toString())).toMatchObject({ error: { code: 'rate_limited' } });
    // Not the feed's validators and caching headers: no cache may keep the refusal as the feed.
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.headers.etag).toBeUndefined();
    expect((await get(`${api.url}/api/v1/stories?limit=12`)).status).toBe(429);
    expect((await get(`${api.url}/topics/all?limit=13`)).status).toBe(429);

    // What is already rendered is served, compressed on demand, and a 304 needs no read at all.
    for (let i = 0; i < 10; i++) expect((await get(feed(1))).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await get(feed(1), '127.0.0.1', { 'accept-encoding': 'gzip' })).status).toBe(200);
    const etag = (await fetch(feed(1))).headers.get('etag') ?? '';
    expect((await get(feed(1), '127.0.0.1', { 'if-none-match': etag })).status).toBe(304);

    // Another client address has its own allowance (Linux routes all of 127/8 to loopback).
    expect((await get(feed(14), '127.0.0.2')).status).toBe(200);
    // And this one reads again once a token is back.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await get(feed(15))).status).toBe(200);
  });

  it('behind a trusted proxy, counts each forwarded client apart', async () => {
    const proxied = await startApi({ ...h.deps, config: { ...h.deps.config, apiReadRate: 1, apiTrustProxy: 1 } }, { port: 0, host: '127.0.0.1' });
    try {
      const feed = (limit: number) => `${proxied.url}/topics/all/atom.xml?limit=${limit}`;
      const from = (client: string) => ({ 'x-forwarded-for': client });
      for (let limit = 1; limit <= 10; limit++) expect((await get(feed(limit), '127.0.0.1', from('203.0.113.7'))).status).toBe(200);
      expect((await get(feed(11), '127.0.0.1', from('203.0.113.7'))).status).toBe(429);
      // Spoofing an earlier entry changes nothing: the proxy's own entry is the last one.
      expect((await get(feed(12), '127.0.0.1', from('1.2.3.4, 203.0.113.7'))).status).toBe(429);
      // Another client behind the same proxy has its own allowance.
      expect((await get(feed(13), '127.0.0.1', from('198.51.100.4'))).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
