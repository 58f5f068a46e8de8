import { fnv1a } from './fnv1a.js';

/**
 * MinHash over word 3-shingles: a fixed-size signature whose agreement rate estimates the Jaccard
 * similarity of two texts' shingle sets. A wire story republished by another outlet agrees on
 * most positions; two write-ups of the same event in different words agree on almost none.
 */

export const SIGNATURE_SIZE = 32;
/** Below this many shingles a text is too short for copying to be told from coincidence. */
export const MIN_SHINGLES = 8;

// Fixed odd multipliers and offsets: one hash function per signature position, stable across
// processes and versions (signatures are stored).
const A = Array.from({ length: SIGNATURE_SIZE }, (_, i) => (fnv1a(`a${i}`, 17) | 1) >>> 0);
const B = Array.from({ length: SIGNATURE_SIZE }, (_, i) => fnv1a(`b${i}`, 23));

export function minhashSignature(words: string[]): number[] {
  const shingles = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) shingles.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  if (shingles.size < MIN_SHINGLES) return [];
  const signature = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    const base = fnv1a(shingle, 0);
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const h = (Math.imul(base, A[k] ?? 1) + (B[k] ?? 0)) >>> 0;
      if (h < (signature[k] ?? 0)) signature[k] = h;
    }
  }
  // Stored in Postgres integer[] (signed 32-bit).
  return signature.map((h) => h | 0);
}

/** Estimated Jaccard similarity; 0 when either text was too short to sign. */
/**
 * signatureSimilarity when it is at least `min`, else 0: stops as soon as `min` is out of reach
 * (most pairs share nothing, and an article is checked against every signature its candidates hold).
 */
export function signatureSimilarityAtLeast(a: number[], b: number[], min: number): number {
  if (a.length !== SIGNATURE_SIZE || b.length !== SIGNATURE_SIZE) return 0;
  const needed = Math.ceil(min * SIGNATURE_SIZE);
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    if (a[i] === b[i]) same += 1;
    else if (same + (SIGNATURE_SIZE - i - 1) < needed) return 0;
  }
  return same / SIGNATURE_SIZE;
}

export function signatureSimilarity(a: number[], b: number[]): number {
  if (a.length !== SIGNATURE_SIZE || b.length !== SIGNATURE_SIZE) return 0;
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same += 1;
  return same / SIGNATURE_SIZE;
}
