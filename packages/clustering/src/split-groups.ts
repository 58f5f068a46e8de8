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
 * Two headlines (or a headline and a text with a summary) share fewer words than two texts with
 * summaries do for the same agreement: their cosine counts this many times over, up to 1. On the
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
 * before the window).
 */
export function splitGroup(articles: readonly SplitArticle[], idf: Idf, seed: readonly number[] = []): number[][] {
  const all = articles.map((_, i) => i);
  if (articles.length < 2 || articles.length > SPLIT_MAX_ARTICLES) return [all];
  const scored = articles.map((a) => pairText(a.features, idf));
  const pairs: ScoredPair[] = [];
  for (let a = 0; a < scored.length; a++) {
    for (let b = a + 1; b < scored.length; b++) {
      const score = splitScore(scored[a] as PairText, scored[b] as PairText);
      if (score > 0) pairs.push({ a, b, score });
    }
  }
  return averageLink({ size: articles.length, pairs, threshold: SPLIT_THRESHOLD, seeds: seed.length > 0 ? [seed] : [] });
}
