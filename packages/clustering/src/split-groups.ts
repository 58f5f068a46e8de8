import { averageLink, type ScoredPair } from './average-link.js';
import type { ArticleFeatures } from './features.js';
import { eventScore, RICH_TERMS, type PairText } from './pair-score.js';
import { weightedVector, type Idf } from './similarity.js';

/**
 * The settle pass's second look at each story it formed: do its articles agree with each other,
 * or did a growing centroid carry it across events? Placing compares an article with a story's
 * centroid, and a centroid that holds a famous name and the day's topic words draws in the next
 * event about the same person. Here every pair of the story's articles is scored (eventScore) and
 * the story is regrouped by average-link: it stays whole when its articles agree on average, and
 * falls apart into the groups that do when it was a bridge between events.
 *
 * Measured with `pnpm bench cluster` (news days, settled): on the crowded day a pass with this step
 * leaves fewer stories mixing events; on the UCI headlines it costs a little recall (their labels
 * are broad stories, which split where their headlines share little).
 */

/** The mean pair score a story's articles must keep to stay together. */
export const SPLIT_THRESHOLD = 0.2;
/**
 * Two shorter texts (headlines, or a headline with one sentence: under RICH_TERMS) share fewer words
 * than two texts with ledes do for the same agreement: their cosine counts this many times over, up to 1. On the
 * UCI headlines a story split at 0.2 loses a fifth of its F1 (0.633 → 0.527); at an effective 0.1
 * it keeps it (0.626) and gains precision (0.88 → 0.91).
 */
export const HEADLINE_PAIR_FACTOR = 2;
/**
 * Stories with more articles than this are left as placed: scoring every pair grows with the
 * square (125,000 pairs at 500), and a story that large is a running one whose articles the
 * pass cannot all compare in the time it has.
 */
export const SPLIT_MAX_ARTICLES = 500;

/** What the split step needs of an article. */
export interface SplitArticle {
  features: ArticleFeatures;
}

/**
 * Each article's text as pairs are scored, kept while the IDF is the same: passes take the
 * articles they read before as the same objects, and most stories do not change between passes.
 */
const texts = new WeakMap<ArticleFeatures, { idf: Idf; text: PairText }>();

function pairText(features: ArticleFeatures, idf: Idf): PairText {
  const known = texts.get(features);
  if (known?.idf === idf) return known.text;
  const text = { vector: weightedVector(features.terms, idf), names: new Set(features.names ?? []) };
  texts.set(features, { idf, text });
  return text;
}

/** How alike two articles are as reports of one event, as the split step scores them. */
export function splitScore(a: PairText, b: PairText): number {
  const score = eventScore(a, b);
  if (a.vector.size >= RICH_TERMS && b.vector.size >= RICH_TERMS) return score;
  return Math.min(1, HEADLINE_PAIR_FACTOR * score);
}

/**
 * One story's articles (in canonical order) regrouped: the pieces, each a list of positions in
 * `articles`, ascending, in order of their first; a single piece when it holds together. `seed`:
 * positions that stay together whatever they score (an editor's story, or the story as it stood
 * before the window). `spend` is told of the pairs as they are scored; null when it says to stop.
 */
export async function splitGroup(
  articles: readonly SplitArticle[],
  idf: Idf,
  seed: readonly number[] = [],
  spend: (pairs: number) => Promise<boolean> = async () => true,
): Promise<number[][] | null> {
  const all = articles.map((_, i) => i);
  if (articles.length < 2 || articles.length > SPLIT_MAX_ARTICLES) return [all];
  const scored = articles.map((a) => pairText(a.features, idf));
  const pairs: ScoredPair[] = [];
  for (let a = 0; a < scored.length; a++) {
    // A large story's pairs take a while: the caller hears of each row of them.
    if (!(await spend(scored.length - a - 1))) return null;
    for (let b = a + 1; b < scored.length; b++) {
      const score = splitScore(scored[a] as PairText, scored[b] as PairText);
      if (score > 0) pairs.push({ a, b, score });
    }
  }
  return averageLink({ size: articles.length, pairs, threshold: SPLIT_THRESHOLD, groups: seed.length > 0 ? [{ items: seed, fixed: true }] : [] });
}

/** A group as the split step left it: its articles in canonical order, and whether it holds a fixed story. */
export interface AgreeingGroup<T extends SplitArticle> {
  articles: T[];
  fixed: boolean;
}

/**
 * Groups that came near each other (`near`: pairs of indices into `groups`, a report of one scored
 * NEARBY against the other's story when placed) joined where their articles agree on average, as
 * the split step's average-link would have joined them: a report decided by a centroid can miss a
 * story most of whose articles agree with it ("Ships stack up off Eastmouth as dock strike bites"
 * beside "Port workers walk out over automation plan"). Only reports with summaries give evidence
 * here, scored by eventScore as they stand (no allowance for headlines): between headlines alone
 * placing has already weighed all the words there are, and joining them on less mixes events
 * (on the news days as headline-only feeds, 10 → 16 stories mixing events). Two fixed groups never
 * join. Returns the groups that joined, each as indices into `groups`, ascending; null when
 * `spend` (told how many pairs each step scores) says to stop.
 */
export async function joinNearby<T extends SplitArticle>(
  groups: readonly AgreeingGroup<T>[],
  near: readonly (readonly [number, number])[],
  idf: Idf,
  spend: (pairs: number) => Promise<boolean> = async () => true,
): Promise<number[][] | null> {
  const involved = new Map<number, number>();
  const items: T[] = [];
  const startOf: number[] = [];
  const pairs: ScoredPair[] = [];
  const offset = (g: number): number => {
    let at = involved.get(g);
    if (at === undefined) {
      at = items.length;
      involved.set(g, at);
      for (const a of (groups[g] as AgreeingGroup<T>).articles) {
        items.push(a);
        startOf.push(g);
      }
    }
    return at;
  };
  const seen = new Set<string>();
  for (const [x, y] of near) {
    const [p, q] = x < y ? [x, y] : [y, x];
    const gp = groups[p];
    const gq = groups[q];
    if (p === q || !gp || !gq || (gp.fixed && gq.fixed) || seen.has(`${p},${q}`)) continue;
    if (gp.articles.length > SPLIT_MAX_ARTICLES || gq.articles.length > SPLIT_MAX_ARTICLES) continue;
    seen.add(`${p},${q}`);
    if (!(await spend(gp.articles.length * gq.articles.length))) return null;
    const op = offset(p);
    const oq = offset(q);
    gp.articles.forEach((a, i) => {
      if (!a.features.hasSummary) return;
      const ta = pairText(a.features, idf);
      gq.articles.forEach((b, j) => {
        if (!b.features.hasSummary) return;
        const score = eventScore(ta, pairText(b.features, idf));
        if (score > 0) pairs.push({ a: op + i, b: oq + j, score });
      });
    });
  }
  if (pairs.length === 0) return [];
  const starts = [...involved].map(([g, at]) => ({ items: (groups[g] as AgreeingGroup<T>).articles.map((_, i) => at + i), fixed: (groups[g] as AgreeingGroup<T>).fixed }));
  return averageLink({ size: items.length, pairs, threshold: SPLIT_THRESHOLD, groups: starts })
    .map((joined) => [...new Set(joined.map((i) => startOf[i] as number))].sort((a, b) => a - b))
    .filter((joined) => joined.length > 1);
}

/**
 * How much each article agrees with the others of its group: its mean pair score (splitScore)
 * with them, 1 for an article alone. What the settle pass records as the score of an article its
 * split or join steps moved (the score it was placed with belongs to a story it is no longer in).
 * `spend` as splitGroup's.
 */
export async function agreement(
  articles: readonly SplitArticle[],
  idf: Idf,
  spend: (pairs: number) => Promise<boolean> = async () => true,
): Promise<number[] | null> {
  if (articles.length < 2) return articles.map(() => 1);
  const texts = articles.map((a) => pairText(a.features, idf));
  const sums = new Float64Array(articles.length);
  for (let a = 0; a < texts.length; a++) {
    if (!(await spend(texts.length - a - 1))) return null;
    for (let b = a + 1; b < texts.length; b++) {
      const score = splitScore(texts[a] as PairText, texts[b] as PairText);
      sums[a] = (sums[a] as number) + score;
      sums[b] = (sums[b] as number) + score;
    }
  }
  return [...sums].map((sum) => sum / (articles.length - 1));
}
