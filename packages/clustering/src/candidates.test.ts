import { describe, expect, it } from 'vitest';
import { largest } from './candidates.js';

describe('largest', () => {
  it('finds the nth largest value as a sort would, with ties and repeats', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let round = 0; round < 500; round++) {
      const length = 1 + Math.floor(random() * 300);
      // Few distinct values in half the rounds: selection must cope with long runs of equal ones.
      const distinct = round % 2 === 0 ? 3 : 1_000;
      const values = Float64Array.from({ length }, () => Math.floor(random() * distinct) / 7);
      const nth = 1 + Math.floor(random() * length);
      const sorted = Float64Array.from(values).sort();
      expect(largest(Float64Array.from(values), nth)).toBe(sorted[length - nth]);
    }
  });
});
