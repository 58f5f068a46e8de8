import { describe, expect, it } from 'vitest';
import { canonicalGrouping, groupingErrors, sameGrouping } from './grouping.js';

const eventOf = (link: string) => Number(link.split('-')[0]);

describe('groupings', () => {
  it('compares partitions regardless of story order and order within a story', () => {
    expect(sameGrouping([['1-a', '1-b'], ['2-a']], [['2-a'], ['1-b', '1-a']])).toBe(true);
    expect(sameGrouping([['1-a', '1-b'], ['2-a']], [['1-a'], ['1-b'], ['2-a']])).toBe(false);
    expect(canonicalGrouping([])).toBe('[]');
  });

  it('counts events split over stories and stories mixing events', () => {
    expect(groupingErrors([['1-a'], ['1-b'], ['1-c', '2-a']], eventOf)).toEqual({ duplicateStories: 2, mixedStories: 1 });
    expect(groupingErrors([['1-a', '1-b'], ['2-a']], eventOf)).toEqual({ duplicateStories: 0, mixedStories: 0 });
  });
});
