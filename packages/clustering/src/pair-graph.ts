import type { PairText } from './pair-score.js';

/**
 * Which pairs of a window's articles are worth scoring: those sharing one of their strongest
 * terms (as candidate retrieval queries stories by them). A term many articles share (a
 * country's name on a busy day) pairs each article with the `perTerm` before it only: the
 * window's pairs grow with its size, not with its square.
 */
export const GRAPH_QUERY_TERMS = 16;
export const GRAPH_PER_TERM = 64;
export const GRAPH_NEIGHBOURS = 32;

/** The `count` heaviest terms of a weighted vector (ties by term). */
function strongest(vector: ReadonlyMap<string, number>, count: number): string[] {
  return [...vector]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, count)
    .map(([t]) => t);
}

/**
 * Pairs (a < b) of items sharing a query term, by b then a; items are in the window's canonical
 * order. Each item is paired with the `neighbours` earlier ones sharing most of its query weight.
 */
export function candidatePairs(texts: readonly PairText[], queryTerms = GRAPH_QUERY_TERMS, perTerm = GRAPH_PER_TERM, neighbours = GRAPH_NEIGHBOURS): [number, number][] {
  const postings = new Map<string, number[]>();
  const pairs: [number, number][] = [];
  texts.forEach((text, b) => {
    const shared = new Map<number, number>();
    for (const t of strongest(text.vector, queryTerms)) {
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      const w = text.vector.get(t) ?? 0;
      for (let k = Math.max(0, list.length - perTerm); k < list.length; k++) {
        const a = list[k] as number;
        shared.set(a, (shared.get(a) ?? 0) + w);
      }
      list.push(b);
    }
    const kept = [...shared].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, neighbours);
    for (const a of kept.map(([i]) => i).sort((x, y) => x - y)) pairs.push([a, b]);
  });
  return pairs;
}
