import { describe, expect, it } from 'vitest';
import { isNotModified, lastModifiedFor } from './conditional-get.js';

describe('lastModifiedFor', () => {
  const at = (iso: string) => new Date(iso);
  it('rounds up to the whole second once that second has passed', () => {
    expect(lastModifiedFor(at('2026-11-26T12:00:00.300Z'), Date.parse('2026-11-26T12:00:05Z')).toISOString()).toBe('2026-11-26T12:00:01.000Z');
    expect(lastModifiedFor(at('2026-11-26T12:00:00.000Z'), Date.parse('2026-11-26T12:00:00Z')).toISOString()).toBe('2026-11-26T12:00:00.000Z');
  });

  it('rounds down while rounding up would name a time still to come', () => {
    expect(lastModifiedFor(at('2026-11-26T12:00:00.300Z'), Date.parse('2026-11-26T12:00:00.500Z')).toISOString()).toBe('2026-11-26T12:00:00.000Z');
  });

  it('never lets a client that sends only the date miss a later change in the same second', () => {
    // The client was answered at 12:00:00.500 (date rounded down); the feed changed again at .800.
    const held = lastModifiedFor(at('2026-11-26T12:00:00.300Z'), Date.parse('2026-11-26T12:00:00.500Z')).toUTCString();
    expect(isNotModified(undefined, held, 'W/"x"', Date.parse('2026-11-26T12:00:00.800Z'))).toBe(false);
    // Answered later (rounded up): unchanged is a 304, any later change is not.
    const later = lastModifiedFor(at('2026-11-26T12:00:00.800Z'), Date.parse('2026-11-26T12:00:09Z')).toUTCString();
    expect(isNotModified(undefined, later, 'W/"x"', Date.parse('2026-11-26T12:00:00.800Z'))).toBe(true);
    expect(isNotModified(undefined, later, 'W/"x"', Date.parse('2026-11-26T12:00:10.100Z'))).toBe(false);
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
