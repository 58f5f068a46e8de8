import { describe, expect, it } from 'vitest';
import { addTerms, truncateTerms } from './similarity.js';
import { IdfByNumber, joinNumbered, numberTerms, termsByName } from './numbered-terms.js';
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

describe('joinNumbered', () => {
  it('joins a centroid as truncating the sum does: same terms, weights and order, neither input changed', () => {
    const next = random(5);
    // A small vocabulary (ties, shared terms), words like an inherited property, and integer-like keys.
    const word = () => ['constructor', '2026', '7', 'gaza', 'jeddah', 'talks'][Math.floor(next() * 6)] ?? `w${Math.floor(next() * 60)}`;
    const vector = (size: number) => {
      const out: Record<string, number> = {};
      for (let i = 0; i < size; i++) out[next() < 0.3 ? word() : `w${Math.floor(next() * 60)}`] = [0.5, 1, 1.5, 0.75][Math.floor(next() * 4)] as number;
      return out;
    };
    const termIds = new TermIds();
    for (let i = 0; i < 300; i++) {
      const centroid = vector(Math.floor(next() * 40));
      const terms = vector(1 + Math.floor(next() * 12));
      const keep = 5 + Math.floor(next() * 30);
      const [a, b] = [numberTerms(centroid, termIds), numberTerms(terms, termIds)];
      const before = JSON.stringify([[...a.ids], [...a.raw], [...b.ids], [...b.raw]]);
      const joined = joinNumbered(a, b, keep, termIds);
      expect(Object.entries(termsByName(joined, termIds))).toEqual(Object.entries(truncateTerms(addTerms({ ...centroid }, terms), keep)));
      expect(JSON.stringify([[...a.ids], [...a.raw], [...b.ids], [...b.raw]]), 'the inputs are left as they were').toBe(before);
      // Within the bound, the centroid's terms first in its order, then the new ones in theirs.
      if (joined.ids.length <= keep && Object.keys(centroid).length + Object.keys(terms).filter((t) => !Object.hasOwn(centroid, t)).length <= keep) {
        const names = [...joined.ids].map((id) => termIds.term(id));
        expect(names).toEqual([...Object.keys(centroid), ...Object.keys(terms).filter((t) => !Object.hasOwn(centroid, t))]);
      }
    }
  });
});
