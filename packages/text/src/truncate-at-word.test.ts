import { describe, expect, it } from 'vitest';
import { truncateAtWord } from './truncate-at-word.js';

describe('truncateAtWord', () => {
  it('leaves text that fits, and cuts longer text at a word, marked', () => {
    expect(truncateAtWord('short', 10)).toBe('short');
    expect(truncateAtWord('one two three four', 15)).toBe('one two three…');
  });
  it('cuts at the limit when the last space would drop too much', () => {
    expect(truncateAtWord(`Re: ${'x'.repeat(40)}`, 20)).toBe(`Re: ${'x'.repeat(16)}…`);
    expect(truncateAtWord('東'.repeat(30), 10)).toBe(`${'東'.repeat(10)}…`);
  });
});
