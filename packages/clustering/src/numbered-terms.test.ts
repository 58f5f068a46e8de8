import { describe, expect, it } from 'vitest';
import { IdfByNumber, numberTerms } from './numbered-terms.js';
import { sparseVector } from './sparse-vector.js';
import { TermIds } from './term-ids.js';

/** A small deterministic generator: the same vectors on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('IdfByNumber', () => {
  it('weighs numbered terms as sparseVector weighs them by name, to the last bit, across epochs and numberings', () => {
    const next = random(11);
    const vectors = Array.from({ length: 60 }, () => {
      const out: Record<string, number> = {};
      for (let i = 0; i < 25; i++) out[`w${Math.floor(next() * 3000)}`] = next() * 3;
      return out;
    });
    const weigher = new IdfByNumber();
    let termIds = new TermIds();
    for (let epoch = 0; epoch < 4; epoch++) {
      // Each epoch its own IDF; the third numbers terms afresh, with more terms than the first array held.
      if (epoch === 2) termIds = new TermIds();
      const idf = (t: string) => 1 + ((t.length * 7 + epoch * 3 + Number(t.slice(1))) % 11) / 5;
      for (const v of vectors) {
        const got = weigher.weigh(numberTerms(v, termIds), idf, epoch, termIds);
        const expected = sparseVector(v, idf, termIds);
        expect([...got.ids]).toEqual([...expected.ids]);
        expect([...got.values]).toEqual([...expected.values]);
        expect(got.norm2).toBe(expected.norm2);
      }
    }
  });
});
