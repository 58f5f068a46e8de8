import { describe, expect, it } from 'vitest';
import { candidatePairs } from './pair-graph.js';
import type { PairText } from './pair-score.js';

const text = (terms: Record<string, number>): PairText => ({ vector: new Map(Object.entries(terms)), names: new Set() });

describe('candidatePairs', () => {
  it('pairs items that share one of their strongest terms, and no others', () => {
    const texts = [text({ jeddah: 3, talks: 1 }), text({ moscow: 3, drones: 2 }), text({ jeddah: 2, rubio: 3 }), text({ drones: 3, kyiv: 1 })];
    expect(candidatePairs(texts)).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('queries by the strongest terms only', () => {
    const texts = [text({ a: 5, b: 4, shared: 1 }), text({ c: 5, d: 4, shared: 1 })];
    expect(candidatePairs(texts, 3)).toEqual([[0, 1]]);
    expect(candidatePairs(texts, 2)).toEqual([]);
  });

  it('pairs an item with the latest `perTerm` before it on a term many share', () => {
    const texts = Array.from({ length: 6 }, () => text({ common: 1 }));
    const pairs = candidatePairs(texts, 8, 2);
    expect(pairs.filter(([, b]) => b === 5)).toEqual([
      [3, 5],
      [4, 5],
    ]);
    expect(pairs).toHaveLength(1 + 2 * 4);
  });

  it('keeps the neighbours sharing the most query weight', () => {
    const texts = [text({ x: 1 }), text({ x: 1, y: 1 }), text({ x: 1, y: 1, z: 1 })];
    expect(candidatePairs(texts, 8, 64, 1).filter(([, b]) => b === 2)).toEqual([[1, 2]]);
  });
});
