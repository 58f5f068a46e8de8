import { describe, expect, it } from 'vitest';
import { isNotModified, lastModifiedFor } from './conditional-get.js';

describe('lastModifiedFor', () => {
  const ms = (iso: string) => Date.parse(iso);
  it('rounds up to the whole second once that second is safely past', () => {
    expect(lastModifiedFor(ms('2026-11-26T12:00:00.300Z'), ms('2026-11-26T12:00:05Z'))).toEqual({ date: new Date('2026-11-26T12:00:01Z'), until: undefined });
    expect(lastModifiedFor(ms('2026-11-26T12:00:00.000Z'), ms('2026-11-26T12:00:02Z'))).toEqual({ date: new Date('2026-11-26T12:00:00Z'), until: undefined });
  });

  it('rounds down, as a stopgap with its end, while the change is recent', () => {
    for (const now of ['2026-11-26T12:00:00.500Z', '2026-11-26T12:00:02.900Z']) {
      expect(lastModifiedFor(ms('2026-11-26T12:00:00.300Z'), ms(now))).toEqual({ date: new Date('2026-11-26T12:00:00Z'), until: ms('2026-11-26T12:00:03Z') });
    }
  });

  it('never lets a client that sends only the date miss a later change in the same second', () => {
    // The client was answered at 12:00:00.500 (a stopgap date); the feed changed again at .800.
    const held = lastModifiedFor(ms('2026-11-26T12:00:00.300Z'), ms('2026-11-26T12:00:00.500Z')).date.toUTCString();
    expect(isNotModified(undefined, held, 'W/"x"', ms('2026-11-26T12:00:00.800Z'))).toBe(false);
    // Answered later (the final date): unchanged is a 304, any later change is not.
    const later = lastModifiedFor(ms('2026-11-26T12:00:00.800Z'), ms('2026-11-26T12:00:09Z')).date.toUTCString();
    expect(isNotModified(undefined, later, 'W/"x"', ms('2026-11-26T12:00:00.800Z'))).toBe(true);
    expect(isNotModified(undefined, later, 'W/"x"', ms('2026-11-26T12:00:10.100Z'))).toBe(false);
  });
});

describe('isNotModified', () => {
  it('weakly compares If-None-Match, which wins over If-Modified-Since', () => {
    expect(isNotModified('W/"a", "b"', undefined, '"b"', undefined)).toBe(true);
    expect(isNotModified('"a"', 'Thu, 26 Nov 2026 12:00:00 GMT', 'W/"b"', 0)).toBe(false);
    expect(isNotModified('*', undefined, 'W/"b"', undefined)).toBe(true);
    expect(isNotModified(undefined, 'Thu, 26 Nov 2026 12:00:00 GMT', 'W/"b"', undefined)).toBe(false);
    expect(isNotModified(undefined, 'not a date', 'W/"b"', 0)).toBe(false);
  });
});
