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
export function signatureSimilarityAtLeast(a: readonly number[], b: readonly number[], min: number): number {
  if (a.length !== SIGNATURE_SIZE || b.length !== SIGNATURE_SIZE) return 0;
  const needed = Math.ceil(min * SIGNATURE_SIZE);
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    if (a[i] === b[i]) same += 1;
    else if (same + (SIGNATURE_SIZE - i - 1) < needed) return 0;
  }
  return same / SIGNATURE_SIZE;
}

/**
 * Sketches of signatures: the two low bits of each value, 16 values to a 32-bit word. Two
 * signatures' values agree in their low bits wherever they are equal, so the positions where
 * sketches agree bound the positions where signatures do from above: a sketch that agrees on
 * fewer than a near copy needs rules the signature out, exactly, without reading it. Unrelated
 * texts agree on a quarter of the positions by chance (8 of 32; a near copy needs 16), and an
 * article is checked against up to 20 signatures of each of 64 candidates: read as arrays of 32
 * numbers each, most of scoring (`pnpm bench settle`).
 */
export const SKETCH_WORDS = SIGNATURE_SIZE / 16;

/** The sketches of signatures, side by side (SKETCH_WORDS each); one of the wrong size is all zeros. */
export function signatureSketches(signatures: readonly (readonly number[])[]): Int32Array {
  const out = new Int32Array(signatures.length * SKETCH_WORDS);
  for (let k = 0; k < signatures.length; k++) {
    const s = signatures[k] as readonly number[];
    if (s.length !== SIGNATURE_SIZE) continue;
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const at = k * SKETCH_WORDS + (i >> 4);
      out[at] = (out[at] as number) | (((s[i] as number) & 3) << ((i & 15) * 2));
    }
  }
  return out;
}

/**
 * The highest signatureSimilarityAtLeast(signature, one of `signatures`, min), its sketch and
 * theirs (signatureSketches) read first: only signatures whose sketches agree often enough are
 * compared.
 */
export function nearestCopy(
  signature: readonly number[],
  sketch: Int32Array,
  signatures: readonly (readonly number[])[],
  sketches: Int32Array,
  min: number,
): number {
  if (signature.length !== SIGNATURE_SIZE) return 0;
  const needed = Math.ceil(min * SIGNATURE_SIZE);
  let best = 0;
  for (let k = 0; k < signatures.length; k++) {
    let agree = 0;
    for (let w = 0; w < SKETCH_WORDS; w++) {
      const x = (sketch[w] as number) ^ (sketches[k * SKETCH_WORDS + w] as number);
      agree += 16 - popcount((x | (x >>> 1)) & 0x55555555);
    }
    if (agree >= needed) best = Math.max(best, signatureSimilarityAtLeast(signature, signatures[k] as readonly number[], min));
  }
  return best;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function signatureSimilarity(a: number[], b: number[]): number {
  if (a.length !== SIGNATURE_SIZE || b.length !== SIGNATURE_SIZE) return 0;
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same += 1;
  return same / SIGNATURE_SIZE;
}
