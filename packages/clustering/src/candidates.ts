import type { ArticleFeatures } from './features.js';
import type { Headlines } from './headlines.js';
import type { Idf } from './similarity.js';
import type { TermPostings } from './term-postings.js';

/**
 * Candidate retrieval: an article's QUERY_TERMS strongest terms (weight × IDF) each bring the
 * STORIES_PER_TERM stories that used them most recently; the CANDIDATES sharing the most query
 * weight are scored, with the stories holding the same headline. Fixed bounds, so the cost per
 * article does not grow with the window.
 */
export const QUERY_TERMS = 8;
/**
 * Stories scored per article at most. Scoring them is most of what placing costs once a window
 * is large enough for the cap to bind (100k articles and up), each candidate's centroid, headline
 * hashes and sketches a read from memory of their own. With the UCI headlines placed among the
 * STS-B ones in one window, where retrieval brings more than 32 stories for half of them
 * (`pnpm bench cluster`, crowded window): 32 groups them exactly as 64 did, 16 loses 0.005 F1.
 */
export const CANDIDATES = 32;
/** Stories holding the same headline, at most. */
export const SAME_TITLE_STORIES = 20;

/** What retrieval reads: an index's postings and headlines, its window, and which story is older. */
export interface CandidateSources {
  postings: TermPostings;
  titles: Headlines;
  windowMs: number;
  compareAge(a: string, b: string): number;
  /** Stories scored per article at most (CANDIDATES by default). */
  candidates?: number;
}

/** An article as retrieval reads it. */
export interface Probe {
  features: ArticleFeatures;
  titleKey: string;
  eventAt: Date;
}

/**
 * The last query terms worked out for each article's features, with what they were worked out
 * with: an assigner asks for them up to three times per article (what to load, whether its
 * candidates are held, which they are), with the same IDF.
 */
const queries = new WeakMap<ArticleFeatures, { idf: Idf; count: number; terms: readonly string[] }>();

/** An article's strongest terms by weight × IDF (ties by term), `count` of them. */
export function queryTerms(features: ArticleFeatures, count: number, idf: Idf): readonly string[] {
  const known = queries.get(features);
  if (known?.idf === idf && known.count === count) return known.terms;
  const terms = strongestTerms(features, count, idf);
  queries.set(features, { idf, count, terms });
  return terms;
}

function strongestTerms(features: ArticleFeatures, count: number, idf: Idf): string[] {
  return Object.keys(features.terms)
    .map((term) => ({ term, weight: (features.terms[term] ?? 0) * idf(term) }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
    .slice(0, count)
    .map((t) => t.term);
}

/**
 * The stories an article would be compared with: the CANDIDATES sharing the most query weight
 * among the stories its query terms bring (ties to the newer id, as the database query ranked
 * them), and those holding its headline.
 */
export function candidateIds(sources: CandidateSources, article: Probe, idf: Idf): string[] {
  const since = article.eventAt.getTime() - sources.windowMs;
  const weight = new Map<string, number>();
  for (const term of queryTerms(article.features, QUERY_TERMS, idf)) {
    const w = (article.features.terms[term] ?? 0) * idf(term);
    const list = sources.postings.get(term);
    if (!list) continue;
    const { ids, ats } = list;
    for (let k = 0; k < ids.length && (ats[k] as number) >= since; k++) {
      const id = ids[k] as string;
      weight.set(id, (weight.get(id) ?? 0) + w);
    }
  }
  const ids = new Set(strongest(weight, sources.candidates ?? CANDIDATES, sources.compareAge));
  const at = article.eventAt.getTime();
  let same = 0;
  for (const [id, t] of sources.titles.get(article.titleKey) ?? []) {
    if (same >= SAME_TITLE_STORIES) break;
    if (Math.abs(t - at) <= sources.windowMs) {
      ids.add(id);
      same += 1;
    }
  }
  return [...ids];
}

/**
 * Whether every story candidateIds could return for this article is `held`: what its query
 * terms' postings and its headline name within the window. Cheaper than retrieving the
 * candidates, and all a warm assigner needs to know of most articles before placing them.
 */
export function holdsCandidates(sources: CandidateSources, held: { has(storyId: string): boolean }, article: Probe, idf: Idf): boolean {
  const since = article.eventAt.getTime() - sources.windowMs;
  for (const term of queryTerms(article.features, QUERY_TERMS, idf)) {
    const list = sources.postings.get(term);
    if (!list) continue;
    for (let k = 0; k < list.ids.length && (list.ats[k] as number) >= since; k++) if (!held.has(list.ids[k] as string)) return false;
  }
  const at = article.eventAt.getTime();
  for (const [id, t] of sources.titles.get(article.titleKey) ?? []) {
    if (Math.abs(t - at) <= sources.windowMs && !held.has(id)) return false;
  }
  return true;
}

/**
 * The `count` stories with the most query weight (ties to the newer story), in no particular
 * order: only which are kept matters. Found by the cut-off weight, without sorting them all.
 */
function strongest(weight: Map<string, number>, count: number, compareAge: (a: string, b: string) => number): string[] {
  if (weight.size <= count) return [...weight.keys()];
  const cut = largest(Float64Array.from(weight.values()), count);
  const out: string[] = [];
  const tied: string[] = [];
  for (const [id, w] of weight) {
    if (w > cut) out.push(id);
    else if (w === cut) tied.push(id);
  }
  tied.sort((a, b) => compareAge(b, a));
  return out.concat(tied.slice(0, count - out.length));
}

/**
 * The `nth` largest value (1: the largest), found by selection (Hoare's quickselect) rather than
 * a sort: an article's query terms bring a few hundred stories, of which CANDIDATES are kept.
 * Reorders `values`.
 */
export function largest(values: Float64Array, nth: number): number {
  // The (length - nth)th smallest, counting from 0.
  const k = values.length - nth;
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}
