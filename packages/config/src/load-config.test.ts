import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';
import { parseDuration } from './duration.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/newsfold');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.queuePrefix).toBe('newsfold');
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('http://localhost:8080');
    expect(c.adminToken).toBeUndefined();
    expect(c.fetch).toEqual({
      allowPrivateNetworks: false,
      timeoutMs: 20_000,
      maxBytes: 15_728_640,
      maxRedirects: 5,
      concurrency: 32,
      perHost: 2,
    });
    expect(c.poll).toEqual({ minIntervalMs: 300_000, maxIntervalMs: 86_400_000 });
    expect(c.storyWindowMs).toBe(72 * 3_600_000);
    expect(c.starterFeeds).toBe(true);
    expect(c.apiReadRate).toBe(20);
    expect(c.apiTrustProxy).toBe(0);
    expect(c.healthPort).toBeUndefined();
  });

  it('reads and converts values', () => {
    const c = loadConfig({
      PORT: '9000',
      PUBLIC_URL: 'https://news.example.org/',
      FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
      STORY_WINDOW: '1h30m',
      STARTER_FEEDS: 'false',
      API_READ_RATE: '0',
      API_TRUST_PROXY: '1',
      ADMIN_TOKEN: 'a-long-enough-secret',
      HEALTH_PORT: '8081',
    });
    expect(c.port).toBe(9000);
    expect(c.healthPort).toBe(8081);
    expect(c.publicUrl).toBe('https://news.example.org');
    expect(c.fetch.allowPrivateNetworks).toBe(true);
    expect(c.storyWindowMs).toBe(90 * 60_000);
    expect(c.starterFeeds).toBe(false);
    expect(c.apiReadRate).toBe(0);
    expect(c.apiTrustProxy).toBe(1);
    expect(c.adminToken).toBe('a-long-enough-secret');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '' }).port).toBe(8080);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        POLL_MIN_INTERVAL: 'soon',
        FETCH_ALLOW_PRIVATE_NETWORKS: 'maybe',
        ADMIN_TOKEN: 'short',
        API_READ_RATE: '-1',
        API_TRUST_PROXY: 'yes',
        HEALTH_PORT: '70000',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'POLL_MIN_INTERVAL', 'FETCH_ALLOW_PRIVATE_NETWORKS', 'ADMIN_TOKEN', 'API_READ_RATE', 'API_TRUST_PROXY', 'HEALTH_PORT']) {
      expect(problems).toContain(key);
    }
    expect((error as ConfigError).code).toBe('invalid_config');
  });

  it('rejects a minimum poll interval above the maximum', () => {
    expect(() => loadConfig({ POLL_MIN_INTERVAL: '2h', POLL_MAX_INTERVAL: '1h' })).toThrow(/POLL_MIN_INTERVAL/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500', 500],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'm5', '5 minutes', '5x', '1h foo'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull());
});
