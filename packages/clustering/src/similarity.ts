/** Inverse document frequency of a term: rare terms say more about which event an article is about. */
export type Idf = (term: string) => number;

/** IDF from document counts: ln((N + 1) / (df + 1)) + 1, never below 1. */
export function idfFromCounts(df: { get(term: string): number | undefined }, documents: number): Idf {
  return (term) => Math.log((documents + 1) / ((df.get(term) ?? 0) + 1)) + 1;
}

/**
 * Term weights × IDF, keeping the `top` heaviest. Capping a story's vector at its strongest terms
 * keeps a story that grew large from being diluted by every word any of its articles used.
 */
export function weightedVector(terms: Readonly<Record<string, number>>, idf: Idf, top = Infinity): Map<string, number> {
  const entries = Object.entries(terms).map(([t, w]) => [t, w * idf(t)] as const);
  if (entries.length > top) entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).length = top;
  return new Map(entries);
}

export interface Similarities {
  cosine: number;
  /**
   * The cosine once the one term adding most to the dot product is set aside (both vectors
   * renormalised without it): how alike two texts are beyond their strongest shared word. 0 when
   * they share at most one term.
   */
  beyondTop: number;
}

/** Cosine similarity of two weighted vectors, and what is left of it beyond their top shared term, in one pass. */
export function similarities(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Similarities {
  let top: string | null = null;
  let topA = 0;
  let topB = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    na += x * x;
    const y = b.get(t);
    if (y === undefined) continue;
    dot += x * y;
    if (top === null || x * y > topA * topB || (x * y === topA * topB && t < top)) {
      top = t;
      topA = x;
      topB = y;
    }
  }
  for (const y of b.values()) nb += y * y;
  return fromSums(dot, na, nb, top === null ? null : { a: topA, b: topB });
}

/** The similarities from the dot product, the squared norms, and the top shared term's two weights (null: none shared). */
export function fromSums(dot: number, na: number, nb: number, top: { a: number; b: number } | null): Similarities {
  const cosine = na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  if (top === null) return { cosine, beyondTop: 0 };
  const rest = dot - top.a * top.b;
  const restA = na - top.a * top.a;
  const restB = nb - top.b * top.b;
  // Guard the subtractions' rounding: nothing left is 0, not a tiny ratio of tiny numbers.
  const beyondTop = rest <= 1e-12 || restA <= 1e-12 || restB <= 1e-12 ? 0 : rest / Math.sqrt(restA * restB);
  return { cosine, beyondTop };
}

export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  return similarities(a, b).cosine;
}

/**
 * A term's weight, 0 when the vector does not hold it. Term vectors are plain objects, and a term
 * may be named as a property every object inherits ("constructor", a word of news about Formula
 * 1): only the vector's own properties are its terms.
 */
export function weightOf(terms: Readonly<Record<string, number>>, term: string): number {
  return Object.hasOwn(terms, term) ? (terms[term] as number) : 0;
}

/** Terms read from JSON (stored features, centroids): a weight that is not a finite number adds nothing. */
export function finiteTerms(terms: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [t, w] of Object.entries(terms)) if (typeof w === 'number' && Number.isFinite(w)) out[t] = w;
  return out;
}

/** Whether every weight read from JSON is a finite number. */
export function allFinite(terms: Readonly<Record<string, unknown>>): boolean {
  for (const w of Object.values(terms)) if (typeof w !== 'number' || !Number.isFinite(w)) return false;
  return true;
}

/** Adds term weights into a running sum (a story's centroid). */
export function addTerms(into: Record<string, number>, terms: Readonly<Record<string, number>>, factor = 1): Record<string, number> {
  for (const [t, w] of Object.entries(terms)) into[t] = weightOf(into, t) + w * factor;
  return into;
}

/**
 * The `keep` heaviest raw weights: bounds what is stored per story. Within the bound, the terms
 * themselves (not a copy: a story's centroid is copied once as an article joins it, not twice).
 */
export function truncateTerms(terms: Record<string, number>, keep: number): Record<string, number> {
  const entries = Object.entries(terms);
  if (entries.length <= keep) return terms;
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(entries.slice(0, keep).map(([t, w]) => [t, Math.round(w * 1000) / 1000]));
}
