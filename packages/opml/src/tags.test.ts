import { describe, expect, it } from 'vitest';
import { addTags, normalizeTag, splitCategory } from './tags.js';

describe('tags', () => {
  it('normalises a tag', () => {
    expect(normalizeTag('  /World  News ')).toBe('world news');
    expect(normalizeTag('//Tech/AI')).toBe('tech/ai');
    expect(normalizeTag('a,b')).toBe('a b');
    expect(normalizeTag('ÉCONOMIE')).toBe('économie');
    expect(normalizeTag(' / ')).toBe('');
  });

  it('splits a category attribute and drops empty entries', () => {
    expect(splitCategory('/A, b ,, /,c')).toEqual(['a', 'b', 'c']);
    expect(splitCategory('')).toEqual([]);
  });

  it('adds tags without duplicates, keeping first-seen order', () => {
    const tags = ['b'];
    addTags(tags, ['a', 'b', '', 'a', 'c']);
    expect(tags).toEqual(['b', 'a', 'c']);
  });
});
