import { describe, expect, it } from 'vitest';
import { adaptInterval, nextFetchAfterError, nextFetchAfterSuccess, postingInterval, serverMinimumMs } from './schedule.js';

const bounds = { minMs: 5 * 60_000, maxMs: 24 * 3_600_000 };
const now = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('postingInterval', () => {
  it('is a week divided by the posts of the last week, for a feed reaching back past it', () => {
    const dates = Array.from({ length: 20 }, (_, i) => hoursAgo(6 + i * 12));
    expect(postingInterval(dates, now, bounds)).toBe(12 * 3_600_000);
  });
  it('divides the span a shorter feed covers, so its entries do not scroll away between fetches', () => {
    // The last 40 items of a feed posting every 15 minutes: they cover 9 h 45 min.
    const busy = Array.from({ length: 40 }, (_, i) => hoursAgo(i / 4));
    expect(postingInterval(busy, now, bounds)).toBe((39 * 15 * 60_000) / 40);
    // Eight items over 30 hours; three just posted.
    expect(postingInterval(Array.from({ length: 8 }, (_, i) => hoursAgo(i * (30 / 7))), now, bounds)).toBe((30 * 3_600_000) / 8);
    expect(postingInterval([hoursAgo(0.01), hoursAgo(0.02), now], now, bounds)).toBe(bounds.minMs);
  });
  it('clamps busy and quiet feeds', () => {
    const busy = Array.from({ length: 5000 }, (_, i) => hoursAgo(i / 100));
    expect(postingInterval(busy, now, bounds)).toBe(bounds.minMs);
    expect(postingInterval([hoursAgo(24 * 30)], now, bounds)).toBe(bounds.maxMs);
    expect(postingInterval([null], now, bounds)).toBe(bounds.maxMs);
  });
});

describe('adaptInterval', () => {
  const HOUR = 3_600_000;
  it('follows the dates of a changed feed that has them', () => {
    const dates = Array.from({ length: 40 }, (_, i) => hoursAgo(i / 4));
    expect(adaptInterval(6 * HOUR, { changed: true, dates }, now, bounds)).toBe(postingInterval(dates, now, bounds));
  });
  it('halves for a changed feed without dates, and grows by a quarter for an unchanged one, within bounds', () => {
    expect(adaptInterval(4 * HOUR, { changed: true, dates: [null, null] }, now, bounds)).toBe(2 * HOUR);
    expect(adaptInterval(bounds.minMs, { changed: true, dates: [] }, now, bounds)).toBe(bounds.minMs);
    expect(adaptInterval(4 * HOUR, { changed: false }, now, bounds)).toBe(5 * HOUR);
    expect(adaptInterval(bounds.maxMs, { changed: false }, now, bounds)).toBe(bounds.maxMs);
    // A dateless feed that changes every few fetches settles in between instead of at a day.
    let interval = bounds.maxMs;
    for (let i = 0; i < 30; i++) interval = adaptInterval(interval, i % 3 === 0 ? { changed: true, dates: [] } : { changed: false }, now, bounds);
    expect(interval).toBeLessThan(bounds.maxMs / 2);
  });
});

describe('nextFetchAfterSuccess', () => {
  it('never comes sooner than <ttl> or max-age', () => {
    const at = nextFetchAfterSuccess(now, { intervalMs: bounds.minMs, ttlMinutes: 60, bounds });
    expect(at.getTime() - now.getTime()).toBe(3_600_000);
    const headers = new Headers({ 'cache-control': 'public, max-age=7200' });
    const at2 = nextFetchAfterSuccess(now, { intervalMs: bounds.minMs, serverMinimumMs: serverMinimumMs(headers, now), bounds });
    expect(at2.getTime() - now.getTime()).toBe(7_200_000);
  });
  it('reads Expires when there is no max-age', () => {
    const headers = new Headers({ expires: new Date(now.getTime() + 600_000).toUTCString() });
    expect(serverMinimumMs(headers, now)).toBe(600_000);
  });
});

describe('nextFetchAfterError', () => {
  it('backs off exponentially with jitter, capped at the maximum', () => {
    const mid = () => 0.5;
    const delays = [0, 1, 2, 3].map((n) => nextFetchAfterError(now, { errorCount: n, bounds, random: mid }).getTime() - now.getTime());
    expect(delays).toEqual([5, 10, 20, 40].map((m) => m * 60_000));
    expect(nextFetchAfterError(now, { errorCount: 30, bounds, random: mid }).getTime() - now.getTime()).toBe(bounds.maxMs);
    const low = nextFetchAfterError(now, { errorCount: 1, bounds, random: () => 0 }).getTime() - now.getTime();
    expect(low).toBe(8 * 60_000);
  });
  it('honours Retry-After, capped at the maximum', () => {
    const wait = (ms: number) => nextFetchAfterError(now, { errorCount: 0, retryAfterMs: ms, bounds, random: () => 0.5 }).getTime() - now.getTime();
    expect(wait(3_600_000)).toBe(3_600_000);
    expect(wait(30 * 24 * 3_600_000)).toBe(bounds.maxMs);
  });
});
