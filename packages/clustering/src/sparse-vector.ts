import { fromSums, weightOf, type Idf, type Similarities } from './similarity.js';
import type { TermIds } from './term-ids.js';

/**
 * A weighted term vector as two parallel arrays of term numbers (TermIds) and weights × IDF, with
 * its squared norm: what placing compares, many times over, an article with its candidate stories
 * and a grown story with the others. Arrays of numbers cost a fraction of a Map of strings to
 * hold and to read.
 */
export interface SparseVector {
  ids: Int32Array;
  values: Float64Array;
  norm2: number;
}

/**
 * Term weights × IDF, keeping the `top` heaviest (ties by term), as weightedVector does; the
 * vector in no particular order.
 */
export function sparseVector(terms: Readonly<Record<string, number>>, idf: Idf, termIds: TermIds, top = Infinity): SparseVector {
  const names = Object.keys(terms);
  return weighed(names, names.map((t) => terms[t] ?? 0), idf, termIds, top);
}

/**
 * sparseVector(addTerms({ ...a }, b)), without copying `a` to add `b` to it: a story grown by the
 * article that joins it, as the merge step compares it with the other candidates.
 */
export function sparseSum(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>, idf: Idf, termIds: TermIds, top = Infinity): SparseVector {
  const names = Object.keys(a);
  const raw = names.map((t) => (a[t] ?? 0) + weightOf(b, t));
  for (const t of Object.keys(b)) {
    if (Object.hasOwn(a, t)) continue;
    names.push(t);
    raw.push(b[t] ?? 0);
  }
  return weighed(names, raw, idf, termIds, top);
}

/** The vector of these terms with these raw weights. */
function weighed(names: string[], raw: number[], idf: Idf, termIds: TermIds, top: number): SparseVector {
  const weights = names.map((t, i) => (raw[i] as number) * idf(t));
  let order = names.map((_, i) => i);
  if (names.length > top) {
    order.sort((a, b) => (weights[b] as number) - (weights[a] as number) || ((names[a] as string) < (names[b] as string) ? -1 : 1));
    order = order.slice(0, top);
  }
  const ids = new Int32Array(order.length);
  const values = new Float64Array(order.length);
  let norm2 = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const w = weights[i] as number;
    ids[k] = termIds.id(names[i] as string);
    values[k] = w;
    norm2 += w * w;
  }
  return { ids, values, norm2 };
}

/**
 * One vector spread over a small table of its terms' slots, against which others are compared in
 * turn: each comparison looks the other vector's terms up by number, with no lookup by string.
 * The table is sized for this vector alone (open addressing, at most half full), so it stays in
 * the processor's nearest cache however many terms are numbered: an array with a slot for every
 * term (700k of them with a million articles in the window) missed the cache on most reads.
 */
export class Scatter {
  /** Term number + 1 in each slot; 0: empty. */
  private readonly keys: Int32Array;
  private readonly weights: Float64Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(
    private readonly vector: SparseVector,
    private readonly termIds: TermIds,
  ) {
    let bits = 4;
    while (1 << bits < vector.ids.length * 2) bits++;
    this.keys = new Int32Array(1 << bits);
    this.weights = new Float64Array(1 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      let at = Math.imul(id, 0x9e3779b1) >>> this.shift;
      while (this.keys[at] !== 0 && this.keys[at] !== id + 1) at = (at + 1) & this.mask;
      this.keys[at] = id + 1;
      this.weights[at] = vector.values[k] as number;
    }
  }

  /** The spread vector's weight of a term, 0 when it does not hold it. */
  private weightOf(id: number): number {
    const keys = this.keys;
    let at = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const key = keys[at] as number;
      if (key === id + 1) return this.weights[at] as number;
      if (key === 0) return 0;
      at = (at + 1) & this.mask;
    }
  }

  /** similarities(spread vector, other): the cosine, and what is left of it beyond their top shared term. */
  similarities(other: SparseVector): Similarities {
    let dot = 0;
    let top = -1;
    let topA = 0;
    let topB = 0;
    for (let k = 0; k < other.ids.length; k++) {
      const id = other.ids[k] as number;
      const x = this.weightOf(id);
      if (x === 0) continue;
      const y = other.values[k] as number;
      const product = x * y;
      dot += product;
      // Ties go to the smaller term, as similarities() breaks them, whatever the vectors' order.
      if (top < 0 || product > topA * topB || (product === topA * topB && this.termIds.term(id) < this.termIds.term(top))) {
        top = id;
        topA = x;
        topB = y;
      }
    }
    return fromSums(dot, this.vector.norm2, other.norm2, top < 0 ? null : { a: topA, b: topB });
  }

  /** The cosine alone. */
  cosine(other: SparseVector): number {
    let dot = 0;
    for (let k = 0; k < other.ids.length; k++) dot += this.weightOf(other.ids[k] as number) * (other.values[k] as number);
    const n = this.vector.norm2 * other.norm2;
    return n === 0 ? 0 : dot / Math.sqrt(n);
  }
}
