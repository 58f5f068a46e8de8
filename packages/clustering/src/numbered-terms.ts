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
