import { describe, expect, it } from 'vitest';
import { bcubed } from './bcubed.js';

describe('bcubed', () => {
  it('matches a hand-computed example', () => {
    // Items 1–5. Predicted clusters {1,2} {3,4,5}; true clusters {1,2,3} {4,5}.
    //   item:      1    2    3    4    5
    //   precision: 2/2  2/2  1/3  2/3  2/3   → 11/15
    //   recall:    2/3  2/3  1/3  2/2  2/2   → 11/15
    const score = bcubed(['a', 'a', 'b', 'b', 'b'], ['x', 'x', 'x', 'y', 'y']);
    expect(score.precision).toBeCloseTo(11 / 15, 12);
    expect(score.recall).toBeCloseTo(11 / 15, 12);
    expect(score.f1).toBeCloseTo(11 / 15, 12);
  });

  it('rewards precision and recall separately', () => {
    // Everything alone: perfectly precise, recall 1/4 for a true cluster of four.
    const alone = bcubed(['1', '2', '3', '4'], ['s', 's', 's', 's']);
    expect(alone).toEqual({ precision: 1, recall: 0.25, f1: 0.4 });
    // Everything together: recall 1, precision 1/4 for four true singletons.
    const together = bcubed(['s', 's', 's', 's'], ['1', '2', '3', '4']);
    expect(together).toEqual({ precision: 0.25, recall: 1, f1: 0.4 });
  });

  it('ignores what the clusters are called', () => {
    expect(bcubed(['p', 'p', 'q'], ['x', 'x', 'y'])).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(bcubed(['q', 'q', 'p'], ['x', 'x', 'y'])).toEqual(bcubed(['p', 'p', 'q'], ['x', 'x', 'y']));
  });

  it('scores nothing as perfect and refuses mismatched lengths', () => {
    expect(bcubed([], [])).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(() => bcubed(['a'], [])).toThrow(RangeError);
  });
});
