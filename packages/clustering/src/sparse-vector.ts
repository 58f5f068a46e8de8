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
 * One vector spread over an array of every term's slot, against which others are compared in
 * turn: each comparison reads the other vector's slots, with no lookup by string. Release it
 * before the table lends its array to anyone else.
 */
export class Scatter {
  private readonly dense: Float64Array;
  private released = false;

  constructor(
    private readonly vector: SparseVector,
    private readonly termIds: TermIds,
  ) {
    this.dense = termIds.zeros();
    for (let k = 0; k < vector.ids.length; k++) this.dense[vector.ids[k] as number] = vector.values[k] as number;
  }

  /** similarities(spread vector, other): the cosine, and what is left of it beyond their top shared term. */
  similarities(other: SparseVector): Similarities {
    if (this.released) throw new Error('the scatter was released');
    const dense = this.dense;
    let dot = 0;
    let top = -1;
    let topA = 0;
    let topB = 0;
    for (let k = 0; k < other.ids.length; k++) {
      const id = other.ids[k] as number;
      const x = dense[id];
      // Unset, or past the array: a term numbered after the scatter was made is not in its vector.
      if (x === undefined || x === 0) continue;
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
    if (this.released) throw new Error('the scatter was released');
    const dense = this.dense;
    let dot = 0;
    for (let k = 0; k < other.ids.length; k++) dot += (dense[other.ids[k] as number] ?? 0) * (other.values[k] as number);
    const n = this.vector.norm2 * other.norm2;
    return n === 0 ? 0 : dot / Math.sqrt(n);
  }

  /** Zeroes the slots set, for the next borrower of the array. */
  release(): void {
    for (let k = 0; k < this.vector.ids.length; k++) this.dense[this.vector.ids[k] as number] = 0;
    this.released = true;
  }
}
