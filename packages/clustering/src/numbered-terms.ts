import type { Idf } from './similarity.js';
import type { SparseVector } from './sparse-vector.js';
import type { TermIds } from './term-ids.js';

/**
 * A term vector's terms numbered (TermIds) and their raw weights, in the vector's own key order:
 * a story's centroid kept so, while it does not change, is weighted again for a new IDF epoch
 * with no lookup by string (sparseVector looks up every term's number and IDF by name).
 */
export interface NumberedTerms {
  ids: Int32Array;
  raw: Float64Array;
}

export const NO_TERMS: NumberedTerms = { ids: new Int32Array(0), raw: new Float64Array(0) };

export function numberTerms(terms: Readonly<Record<string, number>>, termIds: TermIds): NumberedTerms {
  const names = Object.keys(terms);
  const ids = new Int32Array(names.length);
  const raw = new Float64Array(names.length);
  names.forEach((name, k) => {
    ids[k] = termIds.id(name);
    raw[k] = terms[name] ?? 0;
  });
  return { ids, raw };
}

/**
 * One IDF epoch's values by term number, each worked out (by name) the first time it is asked
 * for. A new epoch, or a new numbering, starts afresh.
 */
export class IdfByNumber {
  private values = new Float64Array(0);
  private epoch = -1;
  private termIds: TermIds | null = null;

  /**
   * sparseVector(terms, idf, termIds) for the terms `numbered` holds, with every term kept: the
   * same numbers, weights and norm, added in the same order. `epoch` names `idf`.
   */
  weigh(numbered: NumberedTerms, idf: Idf, epoch: number, termIds: TermIds): SparseVector {
    if (epoch !== this.epoch || termIds !== this.termIds) {
      this.values = new Float64Array(Math.max(1024, termIds.size)).fill(Number.NaN);
      this.epoch = epoch;
      this.termIds = termIds;
    }
    const { ids, raw } = numbered;
    const values = new Float64Array(ids.length);
    let norm2 = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      if (id >= this.values.length) this.grow(termIds.size);
      let value = this.values[id] as number;
      // NaN: not worked out yet in this epoch.
      if (value !== value) this.values[id] = value = idf(termIds.term(id));
      const w = (raw[k] as number) * value;
      values[k] = w;
      norm2 += w * w;
    }
    return { ids, values, norm2 };
  }

  private grow(size: number): void {
    let length = this.values.length;
    while (length < size) length *= 2;
    const values = new Float64Array(length).fill(Number.NaN);
    values.set(this.values);
    this.values = values;
  }
}

/** The terms by name again, in the same order (a record reorders integer-like names first, as any object does). */
export function termsByName(numbered: NumberedTerms, termIds: TermIds): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = 0; k < numbered.ids.length; k++) out[termIds.term(numbered.ids[k] as number)] = numbered.raw[k] as number;
  return out;
}

/** Where each term of the vector being joined sits (position + 1; 0: absent), by term number. */
let slots = new Int32Array(1024);

/**
 * joinTerms on numbered terms: `b` added into `a`, and once they hold more than `keep` terms the
 * `keep` heaviest (ties by term), weights rounded as a stored centroid's are. Neither is changed.
 * A story's centroid is held so: as two arrays it is joined without a lookup by name, numbered
 * once rather than after every join, and holds a fraction of the memory of an object of names.
 */
export function joinNumbered(a: NumberedTerms, b: NumberedTerms, keep: number, termIds: TermIds): NumberedTerms {
  if (slots.length < termIds.size) {
    let length = slots.length;
    while (length < termIds.size) length *= 2;
    slots = new Int32Array(length);
  }
  const n = a.ids.length;
  for (let k = 0; k < n; k++) slots[a.ids[k] as number] = k + 1;
  let added = 0;
  for (let k = 0; k < b.ids.length; k++) if (slots[b.ids[k] as number] === 0) added += 1;
  const ids = new Int32Array(n + added);
  const raw = new Float64Array(n + added);
  ids.set(a.ids);
  raw.set(a.raw);
  let next = n;
  for (let k = 0; k < b.ids.length; k++) {
    const id = b.ids[k] as number;
    const at = slots[id] as number;
    if (at === 0) {
      ids[next] = id;
      raw[next] = b.raw[k] as number;
      next += 1;
    } else raw[at - 1] = (raw[at - 1] as number) + (b.raw[k] as number);
  }
  for (let k = 0; k < n; k++) slots[a.ids[k] as number] = 0;
  return ids.length <= keep ? { ids, raw } : heaviest({ ids, raw }, keep, termIds);
}

/** The `keep` heaviest terms, heaviest first, ties by term; weights rounded for storage (as truncateTerms). */
function heaviest(terms: NumberedTerms, keep: number, termIds: TermIds): NumberedTerms {
  const { ids, raw } = terms;
  const order = Array.from(ids, (_, k) => k);
  order.sort((x, y) => (raw[y] as number) - (raw[x] as number) || (termIds.term(ids[x] as number) < termIds.term(ids[y] as number) ? -1 : 1));
  const out = { ids: new Int32Array(keep), raw: new Float64Array(keep) };
  for (let k = 0; k < keep; k++) {
    const at = order[k] as number;
    out.ids[k] = ids[at] as number;
    out.raw[k] = Math.round((raw[at] as number) * 1000) / 1000;
  }
  return out;
}
