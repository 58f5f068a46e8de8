import { describe, expect, it } from 'vitest';
import { minhashSignature, MIN_SHINGLES, nearestCopy, signatureSimilarity, signatureSimilarityAtLeast, signatureSketches, SIGNATURE_SIZE, SKETCH_WORDS } from './minhash.js';
import { tokenize } from './tokenize.js';

const sign = (text: string) => minhashSignature(tokenize(text).words);

const WIRE =
  'A Russian missile struck a civilian vessel loading wheat in the port of Odesa on Tuesday evening, killing four Syrian crew members. ' +
  'The Barbados-flagged ship was bound for Algeria, Ukraine’s deputy prime minister said. ' +
  'Two more sailors were taken to hospital with shrapnel wounds. ' +
  'Port authorities said grain shipments would resume once the berth had been cleared of debris. ' +
  'The strike came hours before Ukrainian and American delegations met in Saudi Arabia.';

// The same agency copy as republished by another outlet, with its own second sentence.
const REWRITTEN =
  'A Russian missile struck a civilian vessel loading wheat in the port of Odesa on Tuesday evening, killing four Syrian crew members. ' +
  'The ship, registered in Barbados, had been chartered to carry Ukrainian grain to North Africa. ' +
  'Two more sailors were taken to hospital with shrapnel wounds. ' +
  'Port authorities said grain shipments would resume once the berth had been cleared of debris. ' +
  'The strike came hours before Ukrainian and American delegations met in Saudi Arabia.';

const UNRELATED =
  'Saudi Arabia’s football federation published renderings of a 46,000-seat stadium on the Red Sea waterfront north of Jeddah, ' +
  'one of eleven new grounds promised for the 2034 World Cup. Construction is due to begin next year and finish by 2032.';

describe('minhashSignature', () => {
  it('gives identical texts identical signatures', () => {
    expect(sign(WIRE)).toHaveLength(SIGNATURE_SIZE);
    expect(sign(WIRE)).toEqual(sign(WIRE));
    expect(signatureSimilarity(sign(WIRE), sign(WIRE))).toBe(1);
  });

  it('recognises a wire copy with one sentence changed', () => {
    expect(signatureSimilarity(sign(WIRE), sign(REWRITTEN))).toBeGreaterThanOrEqual(0.5);
  });

  it('tells unrelated texts apart', () => {
    expect(signatureSimilarity(sign(WIRE), sign(UNRELATED))).toBeLessThan(0.2);
  });

  it('does not sign a text too short to tell copying from coincidence', () => {
    // Eight words make six 3-shingles, fewer than MIN_SHINGLES.
    expect(MIN_SHINGLES).toBeGreaterThan(6);
    expect(sign('Russian missile hits grain ship in Odesa port')).toEqual([]);
    expect(minhashSignature([])).toEqual([]);
    // Repeated shingles count once.
    expect(minhashSignature(Array.from({ length: 30 }, () => 'odesa'))).toEqual([]);
  });

  it('fits Postgres integer[]: signed 32-bit values', () => {
    for (const h of sign(WIRE)) {
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(h).toBeLessThan(2 ** 31);
    }
  });
});

describe('signatureSimilarity', () => {
  it('is 0 when either side has no signature', () => {
    expect(signatureSimilarity([], sign(WIRE))).toBe(0);
    expect(signatureSimilarity(sign(WIRE), [])).toBe(0);
    expect(signatureSimilarity([], [])).toBe(0);
  });

  it('is symmetric', () => {
    expect(signatureSimilarity(sign(WIRE), sign(REWRITTEN))).toBe(signatureSimilarity(sign(REWRITTEN), sign(WIRE)));
  });

  it('signatureSimilarityAtLeast is the similarity when it reaches the bound, else 0', () => {
    // Pairs at every degree of overlap: signatures that agree on the first k positions.
    const base = sign(WIRE);
    for (let k = 0; k <= SIGNATURE_SIZE; k++) {
      const other = base.map((h, i) => (i < k ? h : h + 1));
      const exact = signatureSimilarity(base, other);
      expect(exact).toBe(k / SIGNATURE_SIZE);
      for (const min of [0.25, 0.5, 0.75]) expect(signatureSimilarityAtLeast(base, other, min)).toBe(exact >= min ? exact : 0);
      // Agreeing at the end instead of the start: the early stop must not cut it short.
      const tail = base.map((h, i) => (i >= SIGNATURE_SIZE - k ? h : h + 1));
      expect(signatureSimilarityAtLeast(base, tail, 0.5)).toBe(exact >= 0.5 ? exact : 0);
    }
  });
});

describe('nearestCopy', () => {
  it('is the best signatureSimilarityAtLeast over the signatures, their sketches read first', () => {
    const base = sign(WIRE);
    // Signatures agreeing with `base` on k positions, the others off by 1 (other low bits: the
    // sketch tells them apart) or by 4 (same low bits: only the signature does), plus one too short.
    const others: number[][] = [[]];
    for (let k = 0; k <= SIGNATURE_SIZE; k += 3) {
      for (const off of [1, 4, 1 << 20]) others.push(base.map((h, i) => ((i * 7) % SIGNATURE_SIZE < k ? h : (h + off) | 0)));
    }
    const sketches = signatureSketches(others);
    for (const min of [0.25, 0.5, 0.75]) {
      const expected = Math.max(...others.map((o) => signatureSimilarityAtLeast(base, o, min)));
      expect(nearestCopy(base, signatureSketches([base]), others, sketches, min)).toBe(expected);
      // Each alone, as well: the bound must never turn away a signature that reaches `min`.
      others.forEach((o, k) => {
        const one = sketches.subarray(k * SKETCH_WORDS, (k + 1) * SKETCH_WORDS);
        expect(nearestCopy(base, signatureSketches([base]), [o], one, min)).toBe(signatureSimilarityAtLeast(base, o, min));
      });
    }
    expect(nearestCopy([], signatureSketches([[]]), others, sketches, 0.5)).toBe(0);
  });

});
