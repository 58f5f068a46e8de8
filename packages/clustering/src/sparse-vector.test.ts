import { describe, expect, it } from 'vitest';
import { addTerms, similarities, weightedVector } from './similarity.js';
import { Scatter, sparseSum, sparseVector } from './sparse-vector.js';
import { TermIds } from './term-ids.js';

/** A small deterministic generator: the same vectors on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Terms from a small vocabulary, weights from a few values (so that products tie). */
function terms(next: () => number, count: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < count; i++) out[`w${Math.floor(next() * 40)}`] = [0.5, 1, 1.5, 2][Math.floor(next() * 4)] as number;
  return out;
}

const idf = (t: string) => 1 + (t.length % 3) / 2;

describe('sparseVector', () => {
  it('keeps what weightedVector keeps: the heaviest after IDF, ties by term', () => {
    const next = random(7);
    for (let i = 0; i < 50; i++) {
      const t = terms(next, 30);
      const ids = new TermIds();
      const v = sparseVector(t, idf, ids, 10);
      const expected = weightedVector(t, idf, 10);
      expect(new Map([...v.ids].map((id, k) => [ids.term(id), v.values[k]]))).toEqual(expected);
      expect(v.norm2).toBeCloseTo([...expected.values()].reduce((sum, x) => sum + x * x, 0), 12);
    }
  });
});

describe('sparseSum', () => {
  it('sums a term named like an inherited property ("constructor") that only one side has', () => {
    const ids = new TermIds();
    const one = (t: string) => 1 + t.length / 100;
    for (const [a, b] of [
      [{ f1: 1 }, { constructor: 2 }],
      [{ constructor: 2 }, { f1: 1 }],
    ] as const) {
      const got = sparseSum(a, b, one, ids);
      expect(new Map([...got.ids].map((id, k) => [ids.term(id), got.values[k]]))).toEqual(
        new Map([
          ['f1', one('f1')],
          ['constructor', 2 * one('constructor')],
        ]),
      );
    }
  });

  it('is sparseVector of the two added, to the last bit', () => {
    const next = random(3);
    for (let i = 0; i < 50; i++) {
      const [a, b] = [terms(next, 25), terms(next, 8)];
      const ids = new TermIds();
      const sum = sparseSum(a, b, idf, ids, 12);
      const expected = sparseVector(addTerms({ ...a }, b), idf, ids, 12);
      const asMap = (v: typeof sum) => new Map([...v.ids].map((id, k) => [id, v.values[k]]));
      expect(asMap(sum)).toEqual(asMap(expected));
      expect(sum.norm2).toBe(expected.norm2);
    }
  });
});

describe('Scatter', () => {
  it('gives what similarities() gives, ties on the top term included, whichever side is spread', () => {
    const next = random(11);
    const ids = new TermIds();
    for (let i = 0; i < 200; i++) {
      const a = terms(next, 1 + Math.floor(next() * 12));
      const b = terms(next, 1 + Math.floor(next() * 30));
      const [va, vb] = [sparseVector(a, idf, ids), sparseVector(b, idf, ids)];
      const expected = similarities(weightedVector(a, idf), weightedVector(b, idf));
      for (const [spread, other] of [
        [va, vb],
        [vb, va],
      ] as const) {
        const scatter = new Scatter(spread, ids);
        const got = scatter.similarities(other);
        expect(got.cosine).toBeCloseTo(expected.cosine, 12);
        expect(got.beyondTop).toBeCloseTo(expected.beyondTop, 12);
        expect(scatter.cosine(other)).toBeCloseTo(expected.cosine, 12);
      }
    }
  });

  it('finds every term of a vector spread over a crowded table (colliding slots, numbers far apart)', () => {
    const ids = new TermIds();
    const big: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) ids.id(`pad${i}`);
    for (let i = 0; i < 120; i++) big[`t${i * 37}`] = 1 + (i % 5);
    const v = sparseVector(big, idf, ids);
    const scatter = new Scatter(v, ids);
    // Against itself: every term found, with its weight.
    expect(scatter.cosine(v)).toBeCloseTo(1, 12);
    expect(scatter.similarities(v).cosine).toBeCloseTo(1, 12);
    const half = sparseVector(Object.fromEntries(Object.entries(big).filter((_, i) => i % 2 === 0)), idf, ids);
    const expected = similarities(weightedVector(big, idf), weightedVector(Object.fromEntries(Object.entries(big).filter((_, i) => i % 2 === 0)), idf));
    expect(scatter.similarities(half).cosine).toBeCloseTo(expected.cosine, 12);
    expect(scatter.similarities(half).beyondTop).toBeCloseTo(expected.beyondTop, 12);
  });

  it('takes a term numbered after it was spread for one its vector does not hold', () => {
    const ids = new TermIds();
    const scatter = new Scatter(sparseVector({ jeddah: 1, talks: 1 }, idf, ids), ids);
    // Numbered after the scatter was made: not in its table.
    const later: Record<string, number> = { jeddah: 1 };
    for (let i = 0; i < 3000; i++) later[`x${i}`] = 1;
    const other = sparseVector(later, idf, ids);
    expect(Math.max(...other.ids)).toBeGreaterThan(2048);
    const expected = similarities(weightedVector({ jeddah: 1, talks: 1 }, idf), weightedVector(later, idf));
    expect(scatter.similarities(other).cosine).toBeCloseTo(expected.cosine, 12);
    expect(scatter.cosine(other)).toBeCloseTo(expected.cosine, 12);
  });
});
