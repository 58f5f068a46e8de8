import { describe, expect, it } from 'vitest';
import { clampDate, firstDate, parseDate } from './dates.js';

const iso = (value: string) => parseDate(value)?.toISOString() ?? null;

describe('parseDate: RFC 822 and its common mistakes', () => {
  it.each([
    ['Mon, 10 Mar 2025 09:30:00 GMT', '2025-03-10T09:30:00.000Z'],
    ['Mon, 10 Mar 2025 09:30:00 +0100', '2025-03-10T08:30:00.000Z'],
    ['Mon, 10 Mar 2025 09:30:00 -05:30', '2025-03-10T15:00:00.000Z'],
    ['Mon, 10 Mar 2025 09:30 GMT', '2025-03-10T09:30:00.000Z'], // no seconds
    ['Mon, 10 Mar 2025 08:00 EST', '2025-03-10T13:00:00.000Z'], // named US zone
    ['Mon, 10 Mar 2025 08:00:00 PDT', '2025-03-10T15:00:00.000Z'],
    ['Mon, 10 Mar 2025 08:00:00 CEST', '2025-03-10T06:00:00.000Z'],
    ['10 Mar 2025 09:30:00 +0000', '2025-03-10T09:30:00.000Z'], // no weekday
    ['Sunday, 10 March 2025 09:30:00 GMT', '2025-03-10T09:30:00.000Z'], // wrong, full weekday; full month
    ['Mon, 1 Sept 2025 09:30:00 GMT', '2025-09-01T09:30:00.000Z'],
    ['Monday, 10-Mar-25 09:30:00 GMT', '2025-03-10T09:30:00.000Z'], // RFC 850, two-digit year
    ['Mon, 10 Mar 99 09:30:00 GMT', '1999-03-10T09:30:00.000Z'],
    ['Mon, 10 Mar 2025 09:30:00 +0000 (UTC)', '2025-03-10T09:30:00.000Z'],
    ['Mon, 10 Mar 2025 09:30:00 GMT+2', '2025-03-10T07:30:00.000Z'],
    ['Mon, 10 Mar 2025 09:30:00', '2025-03-10T09:30:00.000Z'], // no zone: UTC
    ['  Mon,  10 Mar 2025\n 09:30:00 GMT ', '2025-03-10T09:30:00.000Z'],
    ['10 Mar 2025', '2025-03-10T00:00:00.000Z'],
  ])('%s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });
});

describe('parseDate: ISO 8601 / RFC 3339', () => {
  it.each([
    ['2025-03-10T09:30:00Z', '2025-03-10T09:30:00.000Z'],
    ['2025-03-10T09:30:00.52Z', '2025-03-10T09:30:00.520Z'],
    ['2025-03-10T09:30:00+02:00', '2025-03-10T07:30:00.000Z'],
    ['2025-03-10T09:30:00+0530', '2025-03-10T04:00:00.000Z'],
    ['2025-03-10 09:30:00', '2025-03-10T09:30:00.000Z'], // space, no zone
    ['2025-03-10T09:30Z', '2025-03-10T09:30:00.000Z'], // no seconds
    ['2025-03-10', '2025-03-10T00:00:00.000Z'],
  ])('%s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });
});

describe('parseDate: garbage', () => {
  it.each([
    '',
    '   ',
    'not a date at all',
    'yesterday',
    '1',
    '31 Feb 2025 10:00:00 GMT', // would roll over to March in Date.parse
    '2025-02-30T10:00:00Z',
    '2025-13-01T00:00:00Z',
    'Mon, 10 Mar 2025 25:00:00 GMT',
    '0001-01-01T00:00:00Z', // Go's zero time
    '1970-01-01T00:00:00Z', // epoch placeholder
    'Mon, 10 Mar 2025 09:30:00 constructor', // not a zone, and not Object.prototype either
  ])('%j → null', (input) => {
    expect(parseDate(input)).toBeNull();
  });

  it('returns null for non-strings', () => {
    expect(parseDate(undefined)).toBeNull();
    expect(parseDate(1_700_000_000_000)).toBeNull();
    expect(parseDate({ _: '2025-03-10' })).toBeNull();
  });

  it('falls back to the platform parser for other spellings with a four-digit year', () => {
    expect(iso('March 10, 2025 09:30:00 UTC')).toBe('2025-03-10T09:30:00.000Z');
  });
});

describe('firstDate and clampDate', () => {
  it('takes the first candidate that parses', () => {
    expect(firstDate(undefined, 'junk', '2025-03-10T00:00:00Z', '2024-01-01T00:00:00Z')?.toISOString()).toBe(
      '2025-03-10T00:00:00.000Z',
    );
    expect(firstDate('junk', null)).toBeNull();
  });

  it('clamps only dates after the bound', () => {
    const bound = new Date('2025-03-10T12:00:00Z');
    expect(clampDate(new Date('2030-01-01T00:00:00Z'), bound)?.toISOString()).toBe(bound.toISOString());
    expect(clampDate(new Date('2025-03-10T11:00:00Z'), bound)?.toISOString()).toBe('2025-03-10T11:00:00.000Z');
    expect(clampDate(null, bound)).toBeNull();
  });
});
