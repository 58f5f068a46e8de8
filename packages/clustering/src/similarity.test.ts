import { describe, expect, it } from 'vitest';
import { addTerms, cosine, idfFromCounts, similarities, truncateTerms, weightedVector } from './similarity.js';

const v = (o: Record<string, number>) => new Map(Object.entries(o));
const flat = () => 1;

describe('cosine', () => {
  it('is 1 for the same direction, 0 for nothing shared', () => {
    expect(cosine(v({ jeddah: 1, talk: 2 }), v({ jeddah: 1, talk: 2 }))).toBeCloseTo(1, 12);
    expect(cosine(v({ jeddah: 1, talk: 2 }), v({ jeddah: 3, talk: 6 }))).toBeCloseTo(1, 12);
    expect(cosine(v({ jeddah: 1 }), v({ moscow: 1 }))).toBe(0);
  });

  it('computes the angle between weighted vectors', () => {
    expect(cosine(v({ jeddah: 1, talk: 1 }), v({ jeddah: 1 }))).toBeCloseTo(Math.SQRT1_2, 12);
    // (1·2 + 2·0 + 0·1) / (√5 · √5)
    expect(cosine(v({ a: 1, b: 2 }), v({ a: 2, c: 1 }))).toBeCloseTo(2 / 5, 12);
  });

  it('is symmetric, and 0 (not NaN) for an empty vector', () => {
    const a = v({ a: 1, b: 3, c: 0.5 });
    const b = v({ b: 1, c: 2, d: 4 });
    expect(cosine(a, b)).toBeCloseTo(cosine(b, a), 12);
    expect(cosine(new Map(), a)).toBe(0);
    expect(cosine(a, new Map())).toBe(0);
  });
});

describe('similarities().beyondTop', () => {
  const beyondTop = (a: Map<string, number>, b: Map<string, number>) => similarities(a, b).beyondTop;
  it('is the cosine once the term adding most to the dot product is removed from both', () => {
    // Products: a 3·2 = 6, b 1·1 = 1: without a, (1·1) / (√(1 + 4) · √(1 + 1)).
    expect(beyondTop(v({ a: 3, b: 1, c: 2 }), v({ a: 2, b: 1, d: 1 }))).toBeCloseTo(1 / Math.sqrt(10), 12);
    expect(beyondTop(v({ a: 3, b: 1, c: 2 }), v({ a: 2, b: 1, d: 1 }))).toBeCloseTo(beyondTop(v({ a: 2, b: 1, d: 1 }), v({ a: 3, b: 1, c: 2 })), 12);
  });

  it('is 0 when at most one term is shared', () => {
    expect(beyondTop(v({ town: 5, bakery: 1 }), v({ town: 5, lifeboat: 1 }))).toBe(0);
    expect(beyondTop(v({ a: 1 }), v({ b: 1 }))).toBe(0);
    expect(beyondTop(new Map(), v({ b: 1 }))).toBe(0);
  });
});

describe('idfFromCounts', () => {
  it('is ln((N + 1) / (df + 1)) + 1: rarer terms weigh more, none below 1', () => {
    const idf = idfFromCounts(new Map([['ukraine', 99], ['jeddah', 4]]), 99);
    expect(idf('ukraine')).toBeCloseTo(1, 12);
    expect(idf('jeddah')).toBeCloseTo(Math.log(100 / 5) + 1, 12);
    expect(idf('never-seen')).toBeCloseTo(Math.log(100) + 1, 12);
    expect(idf('jeddah')).toBeGreaterThan(idf('ukraine'));
  });
});

describe('weightedVector', () => {
  it('multiplies term weights by IDF', () => {
    const idf = (t: string) => (t === 'jeddah' ? 3 : 1);
    expect(weightedVector({ jeddah: 1.5, talk: 1 }, idf)).toEqual(v({ jeddah: 4.5, talk: 1 }));
  });

  it('keeps the k heaviest terms after weighting, ties by term', () => {
    const idf = (t: string) => (t === 'rare' ? 10 : 1);
    const terms = { common: 5, rare: 1, b: 2, a: 2, small: 0.5 };
    expect([...weightedVector(terms, idf, 3).keys()]).toEqual(['rare', 'common', 'a']);
    expect(weightedVector(terms, idf, 10).size).toBe(5);
    expect(weightedVector(terms, flat).size).toBe(5);
  });
});

describe('addTerms and truncateTerms', () => {
  it('sums term weights into a centroid, scaled', () => {
    const centroid = { jeddah: 1 };
    expect(addTerms(centroid, { jeddah: 1, talk: 0.5 }, 2)).toBe(centroid);
    expect(centroid).toEqual({ jeddah: 3, talk: 1 });
  });

  it('adds a term named like an inherited property ("constructor") as any other term', () => {
    expect(addTerms({ jeddah: 1 }, { constructor: 2 })).toEqual({ jeddah: 1, constructor: 2 });
    expect(addTerms({ constructor: 1 }, { constructor: 2 })).toEqual({ constructor: 3 });
  });

  it('keeps the heaviest raw weights, rounded for storage', () => {
    expect(truncateTerms({ a: 1.23456, b: 3, c: 2, d: 2 }, 3)).toEqual({ b: 3, c: 2, d: 2 });
    expect(truncateTerms({ a: 1.23456, b: 3 }, 1)).toEqual({ b: 3 });
    expect(truncateTerms({ a: 1.23456, b: 3.00049, c: 0.1 }, 2)).toEqual({ b: 3, a: 1.235 });
    // Within the bound nothing changes.
    expect(truncateTerms({ a: 1.23456 }, 5)).toEqual({ a: 1.23456 });
  });
});
