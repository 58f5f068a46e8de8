import { describe, expect, it } from 'vitest';
import { averageLink, type ScoredPair } from './average-link.js';

/** Exhaustive average-link: every pair of groups, every step (what the sparse version must agree with). */
function exhaustive(size: number, pairs: readonly ScoredPair[], threshold: number): number[][] {
  const score = new Map(pairs.map((p) => [`${Math.min(p.a, p.b)},${Math.max(p.a, p.b)}`, p.score]));
  const s = (a: number, b: number) => score.get(`${Math.min(a, b)},${Math.max(a, b)}`) ?? 0;
  let groups = Array.from({ length: size }, (_, i) => [i]);
  for (;;) {
    let best: { mean: number; i: number; j: number } | null = null;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        let sum = 0;
        for (const a of groups[i] as number[]) for (const b of groups[j] as number[]) sum += s(a, b);
        const mean = sum / ((groups[i] as number[]).length * (groups[j] as number[]).length);
        if (!best || mean > best.mean) best = { mean, i, j };
      }
    }
    if (!best || best.mean < threshold) break;
    const { i, j } = best;
    groups[i] = [...(groups[i] as number[]), ...(groups[j] as number[])].sort((a, b) => a - b);
    groups = groups.filter((_, k) => k !== j);
  }
  return groups.sort((a, b) => (a[0] as number) - (b[0] as number));
}

/** A seeded pseudo-random graph: `clusters` tight groups, noise between them. */
function randomGraph(seed: number, size: number): ScoredPair[] {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const cluster = Array.from({ length: size }, () => Math.floor(next() * Math.max(1, size / 4)));
  const pairs: ScoredPair[] = [];
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      const r = next();
      if (cluster[a] === cluster[b] && r < 0.8) pairs.push({ a, b, score: 0.3 + 0.6 * next() });
      else if (r < 0.15) pairs.push({ a, b, score: 0.4 * next() });
    }
  }
  return pairs;
}

function relabel(groups: number[][], map: readonly number[]): number[][] {
  return groups.map((g) => g.map((i) => map[i] as number).sort((a, b) => a - b)).sort((a, b) => (a[0] as number) - (b[0] as number));
}

describe('averageLink', () => {
  it('keeps two coherent groups apart across one strong bridge', () => {
    // 0-1-2 agree, 3-4-5 agree; 2 and 3 share a name and score as high as a join needs, nothing else crosses.
    const pairs: ScoredPair[] = [
      { a: 0, b: 1, score: 0.6 },
      { a: 0, b: 2, score: 0.5 },
      { a: 1, b: 2, score: 0.55 },
      { a: 3, b: 4, score: 0.6 },
      { a: 3, b: 5, score: 0.5 },
      { a: 4, b: 5, score: 0.55 },
      { a: 2, b: 3, score: 0.35 },
    ];
    expect(averageLink({ size: 6, pairs, threshold: 0.3 })).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    // Single link would chain them at 0.3; average-link only below the bridge's share of the 9 pairs.
    expect(averageLink({ size: 6, pairs, threshold: 0.35 / 9 })).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it('joins a newcomer only when the group agrees with it on average', () => {
    const pairs: ScoredPair[] = [
      { a: 0, b: 1, score: 0.8 },
      { a: 1, b: 2, score: 0.5 },
    ];
    // {0,1} against 2: (0 + 0.5) / 2 = 0.25.
    expect(averageLink({ size: 3, pairs, threshold: 0.3 })).toEqual([[0, 1], [2]]);
    expect(averageLink({ size: 3, pairs, threshold: 0.25 })).toEqual([[0, 1, 2]]);
  });

  it('never joins two fixed groups, but lets others join either', () => {
    const pairs: ScoredPair[] = [
      { a: 0, b: 2, score: 0.9 },
      { a: 1, b: 2, score: 0.9 },
      { a: 0, b: 1, score: 0.9 },
      { a: 3, b: 1, score: 0.7 },
    ];
    const groups = averageLink({ size: 4, pairs, threshold: 0.3, groups: [{ items: [0], fixed: true }, { items: [1], fixed: true }] });
    expect(groups).toEqual([[0, 2], [1, 3]]);
  });

  it('starts from the groups given, which join as any others do', () => {
    // 0+1 and 2+3 given; across them every pair agrees at 0.5, within 0+1 nothing is said.
    const pairs: ScoredPair[] = [0, 1].flatMap((a) => [2, 3].map((b) => ({ a, b, score: 0.5 })));
    expect(averageLink({ size: 5, pairs, threshold: 0.4, groups: [{ items: [0, 1] }, { items: [2, 3] }] })).toEqual([[0, 1, 2, 3], [4]]);
    expect(averageLink({ size: 5, pairs, threshold: 0.6, groups: [{ items: [0, 1] }, { items: [2, 3] }] })).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('agrees with exhaustive average-link on random graphs', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const size = 5 + (seed % 20);
      const pairs = randomGraph(seed, size);
      for (const threshold of [0.1, 0.25, 0.4]) {
        expect(averageLink({ size, pairs, threshold }), `seed ${seed}, threshold ${threshold}`).toEqual(exhaustive(size, pairs, threshold));
      }
    }
  });

  it('gives the same groups whatever order pairs are listed in, and renumbered items their renumbered groups (scores without ties)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const size = 30;
      const pairs = randomGraph(seed, size);
      const map = Array.from({ length: size }, (_, i) => (i * 7 + seed) % size);
      const moved = pairs.map((p) => ({ a: map[p.b] as number, b: map[p.a] as number, score: p.score })).reverse();
      expect(averageLink({ size, pairs: moved, threshold: 0.25 })).toEqual(relabel(averageLink({ size, pairs, threshold: 0.25 }), map));
    }
  });
});
