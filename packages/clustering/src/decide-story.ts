import type { ArticleFeatures } from './features.js';
import { nearestCopy, signatureSketches } from './minhash.js';
import type { Idf } from './similarity.js';
import { termsByName, type NumberedTerms } from './numbered-terms.js';
import { Scatter, sparseSum, sparseVector, type SparseVector } from './sparse-vector.js';
import { TermIds } from './term-ids.js';
import { hashTitleKey, holdsTitle } from './title-hashes.js';

/**
 * The clustering rule, chosen by measurement (see bench/cluster-quality.ts and the README):
 *
 * 1. An article is compared with each candidate story's centroid (the sum of its articles'
 *    term weights) by TF-IDF cosine over the story's 100 strongest terms, lightly discounted by
 *    the time between them; a near-verbatim copy (MinHash ≥ 0.5 against one of the story's
 *    articles) or the same normalised headline counts as a match outright.
 *    A match must not rest on a single term: beyond their strongest shared term, article and
 *    story must still be ≥ MIN_SIMILARITY_BEYOND_TOP_TERM alike, or the score is only what is
 *    left beyond it.
 * 2. It joins the best story scoring ≥ JOIN_THRESHOLD, else starts a new one.
 * 3. The story it joined, grown by the article, absorbs any other candidate story whose centroid
 *    is now ≥ MERGE_THRESHOLD similar: coverage that began as separate stories (different words
 *    for the same event) comes together once an article bridges them.
 */
export const JOIN_THRESHOLD = 0.3;
export const MERGE_THRESHOLD = 0.3;
/**
 * How many of a story's strongest terms it is compared by: as many as a stored centroid keeps
 * (assign-story keeps CENTROID_TERMS). With summaries an article brings a few dozen terms, and a story
 * cut to its 20 strongest loses the names its articles share beyond the headline words; on the
 * UCI headlines (`pnpm bench cluster`) 100 also scores higher than 20 (F1 0.630 against 0.616).
 */
export const CENTROID_TERMS = 100;
export const NEAR_COPY = 0.5;
/** How much a story loses by being a whole window away in time. */
export const TIME_DISCOUNT = 0.2;
/**
 * How alike an article and a story must still be once their strongest shared term is set aside
 * (similarities().beyondTop). One rare name written several times ("Greyhaven" in the headline and twice
 * in the summary of a lifeboat rescue; once in each of a bakery award's) can carry a cosine past
 * the join threshold on its own, and two events in one town then fold; reports of one event share
 * more than the town (the Tamber floods: Millbrook, Tamber, valley, evacuated…; the Jeddah talks:
 * Rubio, Yermak, Waltz…). On the demo feeds (all 120 feed orders) single-word matches score ≤ 0.06
 * here and true ones ≥ 0.10. On the UCI headlines (`pnpm bench cluster`) it turns away headlines
 * sharing one word, mostly a country's name: precision 0.905 → 0.912, recall 0.492 → 0.481, F1
 * 0.638 → 0.630. Joins only: applied to story merges too (already bridged by the article) it
 * costs UCI recall (F1 0.620).
 */
export const MIN_SIMILARITY_BEYOND_TOP_TERM = 0.08;
/** Headlines with fewer words than this match nothing by being identical ("Live updates"). */
export const MIN_TITLE_WORDS = 3;
/** Articles with fewer distinct terms than this match only as near-verbatim copies ("Video"). */
export const MIN_TERMS = 3;
/** A story resting on a single term is joined only by copies and identical headlines. */
export const MIN_STORY_TERMS = 2;

export interface ArticleToPlace {
  features: ArticleFeatures;
  titleKey: string;
  eventAt: Date;
}

export interface CandidateStory {
  storyId: string;
  /** Its centroid by term, or numbered (by the options' `terms`): one of the two. */
  centroid?: Readonly<Record<string, number>>;
  numbered?: NumberedTerms;
  /**
   * The centroid weighted by this IDF, its CENTROID_TERMS strongest terms numbered by the options'
   * `terms`, when the caller keeps it (worked out from `centroid` otherwise).
   */
  weighted?: SparseVector | undefined;
  /** Its newest article's event time, in ms. */
  lastAt: number;
  /** MinHash signatures of (some of) its articles. */
  signatures: number[][];
  /** Normalised headlines of its articles. */
  titleKeys: string[];
  /** hashTitleKeys(titleKeys), when the caller keeps it. */
  titleHashes?: Int32Array | undefined;
  /** signatureSketches(signatures), when the caller keeps it. */
  sketches?: Int32Array | undefined;
}

export interface StoryDecision {
  /** null: start a new story. */
  storyId: string | null;
  score: number;
  /** 'same-title', 'near-copy', 'similar: 0.71' or 'new-story'. */
  reason: string;
  /** Other candidate stories to fold into the chosen one, with the similarity that merged them. */
  merges: { storyId: string; score: number }[];
  /**
   * Candidates it neither joined nor merged that still scored NEARBY or more, by id: stories the
   * settle pass compares article by article with the one it went to (decided by a centroid, a
   * report can miss a story most of whose articles agree with it).
   */
  nearby: string[];
}

/** A candidate scoring this much is near enough for the settle pass to look again. */
export const NEARBY = 0.15;

export interface DecideOptions {
  windowMs: number;
  /** True when an admin split these two stories apart: never merge them again. */
  separated?: (a: string, b: string) => boolean;
  joinThreshold?: number;
  mergeThreshold?: number;
  /** Older first (negative when `a` is older): ties go to the older story. By default, the smaller id. */
  compareAge?: (a: string, b: string) => number;
  /** The numbering candidates' `weighted` vectors use (a fresh one by default: then none may carry one). */
  terms?: TermIds;
}

/** One story's score for an article, as decideStory scores each candidate. */
export function scoreCandidate(article: ArticleToPlace, story: CandidateStory, idf: Idf, windowMs: number): { score: number; reason: string } {
  if (story.numbered) throw new Error('scoreCandidate takes a centroid by term');
  const terms = new TermIds();
  const centroid = sparseVector(story.centroid ?? {}, idf, terms, CENTROID_TERMS);
  const spread = new Scatter(sparseVector(article.features.terms, idf, terms), terms);
  const { score, reason } = scoreAgainst(article, spread, facts(article), story, centroid, windowMs);
  return { score, reason: reason ?? similarReason(score) };
}

interface ArticleFacts {
  terms: number;
  titled: boolean;
  titleHash: number;
  sketch: Int32Array;
}

/** What scoring needs to know of the article, worked out once for all its candidates. */
function facts(article: ArticleToPlace): ArticleFacts {
  return {
    terms: Object.keys(article.features.terms).length,
    titled: article.titleKey.split(' ').length >= MIN_TITLE_WORDS,
    titleHash: hashTitleKey(article.titleKey),
    sketch: signatureSketches([article.features.signature]),
  };
}

/** 'similar: 0.41': worked out for the story chosen only, as most candidates are scored and passed over. */
function similarReason(score: number): string {
  return `similar: ${score.toFixed(2)}`;
}

/** scoreCandidate with what it knows of the article (spread: its weighted vector) and the story's weighted centroid given. */
function scoreAgainst(
  article: ArticleToPlace,
  spread: Scatter,
  known: ArticleFacts,
  story: CandidateStory,
  centroid: SparseVector,
  windowMs: number,
): { score: number; reason: string | null } {
  if (known.titled && holdsTitle(story.titleKeys, story.titleHashes, article.titleKey, known.titleHash)) {
    return { score: 1, reason: 'same-title' };
  }
  const copy = nearestCopy(article.features.signature, known.sketch, story.signatures, story.sketches ?? signatureSketches(story.signatures), NEAR_COPY);
  if (copy >= NEAR_COPY) return { score: Math.max(copy, 0.9), reason: 'near-copy' };
  // "Video", "Live updates", "In pictures": a text of one or two words says nothing about which
  // event it is, however similar two of them look.
  if (known.terms < MIN_TERMS || centroid.ids.length < MIN_STORY_TERMS) {
    return { score: 0, reason: 'too-short' };
  }
  const { cosine: full, beyondTop } = spread.similarities(centroid);
  const similarity = beyondTop < MIN_SIMILARITY_BEYOND_TOP_TERM ? beyondTop : full;
  const gap = Math.min(1, Math.abs(article.eventAt.getTime() - story.lastAt) / windowMs);
  // null: similar, by this score (similarReason).
  return { score: similarity * (1 - TIME_DISCOUNT * gap), reason: null };
}

/**
 * Which story an article joins (or none), and which others that story then absorbs. `idf` must
 * not change during the call; candidates' `weighted` centroids, when given, are weighted by it.
 */
export function decideStory(article: ArticleToPlace, candidates: CandidateStory[], idf: Idf, options: DecideOptions): StoryDecision {
  const join = options.joinThreshold ?? JOIN_THRESHOLD;
  const mergeAt = options.mergeThreshold ?? MERGE_THRESHOLD;
  const age = options.compareAge ?? compareIds;
  const known = facts(article);
  // A vector read with another numbering than its own would name other terms.
  if (!options.terms && candidates.some((c) => c.weighted || c.numbered)) throw new Error('candidates carry numbered centroids but not the numbering they use (options.terms)');
  const terms = options.terms ?? new TermIds();
  const byName = (c: CandidateStory) => c.centroid ?? (c.numbered ? termsByName(c.numbered, terms) : {});
  const centroids = candidates.map((c) => c.weighted ?? sparseVector(byName(c), idf, terms, CENTROID_TERMS));
  const spread = new Scatter(sparseVector(article.features.terms, idf, terms), terms);
  let best: { at: number; score: number; reason: string | null } | null = null;
  const scores = new Float64Array(candidates.length);
  for (let at = 0; at < candidates.length; at++) {
    const story = candidates[at] as CandidateStory;
    const { score, reason } = scoreAgainst(article, spread, known, story, centroids[at] as SparseVector, options.windowMs);
    scores[at] = score;
    // Ties go to the older story (smaller id): the outcome must not depend on candidate order.
    if (best === null || score > best.score || (score === best.score && age(story.storyId, (candidates[best.at] as CandidateStory).storyId) < 0)) {
      best = { at, score, reason };
    }
  }
  const chosen = best === null ? undefined : candidates[best.at];
  if (best === null || chosen === undefined || best.score < join) {
    return { storyId: null, score: best?.score ?? 0, reason: 'new-story', merges: [], nearby: nearbyOf(candidates, scores, new Set()) };
  }
  // The story grown by the article, weighted as a stored centroid is compared (its strongest
  // CENTROID_TERMS), against each other candidate's centroid.
  const grown = new Scatter(sparseSum(byName(chosen), article.features.terms, idf, terms, CENTROID_TERMS), terms);
  const eligible: { storyId: string; score: number }[] = [];
  for (let at = 0; at < candidates.length; at++) {
    if (at === best.at) continue;
    const other = candidates[at] as CandidateStory;
    const score = grown.cosine(centroids[at] as SparseVector);
    if (score >= mergeAt) eligible.push({ storyId: other.storyId, score });
  }
  // Strongest first; a story separated by an admin from the chosen one, or from any story already
  // being merged, stays out: a merge must never rejoin a split through a third story.
  eligible.sort((a, b) => b.score - a.score || age(a.storyId, b.storyId));
  const merges: { storyId: string; score: number }[] = [];
  for (const candidate of eligible) {
    const group = [chosen.storyId, ...merges.map((m) => m.storyId)];
    if (group.some((id) => options.separated?.(id, candidate.storyId))) continue;
    merges.push(candidate);
  }
  const taken = new Set([chosen.storyId, ...merges.map((m) => m.storyId)]);
  return { storyId: chosen.storyId, score: best.score, reason: best.reason ?? similarReason(best.score), merges, nearby: nearbyOf(candidates, scores, taken) };
}

/** Most placements come near no other story: they share one empty list (the settle pass keeps every placement). */
const NONE_NEARBY: string[] = [];

/** The candidates not `taken` scoring NEARBY or more, by id (sorted: independent of candidate order). */
function nearbyOf(candidates: readonly CandidateStory[], scores: Float64Array, taken: ReadonlySet<string>): string[] {
  let out: string[] = NONE_NEARBY;
  candidates.forEach((c, at) => {
    if ((scores[at] as number) >= NEARBY && !taken.has(c.storyId)) out = [...out, c.storyId];
  });
  return out.length > 1 ? out.sort() : out;
}

/** Stored story ids are integers without leading zeros: the shorter is smaller, then by digits (exact past 2^53). */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
