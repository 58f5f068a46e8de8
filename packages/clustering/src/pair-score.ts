import { similarities } from './similarity.js';

/**
 * How alike two articles are as reports of one event, from separate pieces of evidence
 * (`pnpm bench cluster --fit` fits a logistic model over them on the corpora; `--rules` compares
 * grouping rules built on them).
 *
 * Why separate pieces: on a crowded news day the reports that wrongly fold share a famous name and
 * topic words ("President Ekdahl" and "border", "Corvane" and "shares"), while reports of one event
 * share what happened ("evacuated", "drones", "subpoena"). One cosine over all terms cannot tell the
 * two apart; a cosine over the words that are not names can.
 */

/** One article as pairs are scored: its terms weighted by IDF, and which of them it writes as names. */
export interface PairText {
  vector: ReadonlyMap<string, number>;
  names: ReadonlySet<string>;
}

export interface PairFeatures {
  /** TF-IDF cosine over all terms. */
  cosine: number;
  /** The cosine beyond the strongest shared term (similarities().beyondTop). */
  beyondTop: number;
  /** The cosine over terms neither text writes as a name: what happened. */
  content: number;
  /** The cosine over terms either text writes as a name: who and where. */
  names: number;
  /** How many terms that are names in neither text both share, up to 3, over 3. */
  sharedContent: number;
  /** 1 when both hold a number (not a year) and share one, -1 when both hold numbers and share none, else 0. */
  numbers: number;
}

export const FEATURES = ['cosine', 'beyondTop', 'content', 'names', 'sharedContent', 'numbers'] as const satisfies readonly (keyof PairFeatures)[];

/**
 * Texts with at least this many terms carry a lede of a few sentences (a headline has 3–13 once
 * stop words are gone, a headline with a one-sentence summary 13–19, with a lede of two or three
 * 22 and more): between two such texts there is room for what happened to agree beyond the
 * names, and it must. Below it, the rule parted reports of one flood in the demo feeds (16 and 19
 * terms, one content word shared beside "River Tamber" and "Millbrook").
 */
export const RICH_TERMS = 20;
/** Terms beyond names two rich texts must share to count as one event's. */
export const SHARED_CONTENT_TERMS = 2;

/**
 * The pair score average-link groups by: TF-IDF cosine, but 0 between two texts with ledes (RICH_TERMS)
 * that share fewer than SHARED_CONTENT_TERMS terms beyond names ("one famous name plus topic
 * words"). Shorter texts are left to the cosine: a headline has too few words for the rule.
 */
export function eventScore(a: PairText, b: PairText): number {
  // One pass over each vector (the settle pass scores every pair of a story's articles): the
  // cosine, and how many shared terms neither writes as a name.
  let dot = 0;
  let na = 0;
  let nb = 0;
  let content = 0;
  for (const [t, x] of a.vector) {
    na += x * x;
    const y = b.vector.get(t);
    if (y === undefined) continue;
    dot += x * y;
    if (!a.names.has(t) && !b.names.has(t)) content++;
  }
  for (const y of b.vector.values()) nb += y * y;
  const cosine = na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  const rich = a.vector.size >= RICH_TERMS && b.vector.size >= RICH_TERMS;
  return rich && content < SHARED_CONTENT_TERMS ? 0 : cosine;
}

const NUMBER = /^\p{N}+$/u;
const YEAR = /^(?:19|20)\d\d$/;

function isNumber(term: string): boolean {
  return NUMBER.test(term) && !YEAR.test(term);
}

/** The cosine of two vectors restricted to the terms `keep` accepts, and how many such terms they share. */
function restricted(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, keep: (term: string) => boolean): { cosine: number; shared: number } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let shared = 0;
  for (const [t, x] of a) {
    if (!keep(t)) continue;
    na += x * x;
    const y = b.get(t);
    if (y === undefined) continue;
    dot += x * y;
    shared++;
  }
  for (const [t, y] of b) if (keep(t)) nb += y * y;
  return { cosine: na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb), shared };
}

export function pairFeatures(a: PairText, b: PairText): PairFeatures {
  const { cosine, beyondTop } = similarities(a.vector, b.vector);
  const isName = (t: string) => a.names.has(t) || b.names.has(t);
  const content = restricted(a.vector, b.vector, (t) => !isName(t));
  const names = restricted(a.vector, b.vector, isName);
  let numbersA = 0;
  let numbersB = 0;
  let sharedNumbers = 0;
  for (const t of a.vector.keys()) {
    if (!isNumber(t)) continue;
    numbersA++;
    if (b.vector.has(t)) sharedNumbers++;
  }
  for (const t of b.vector.keys()) if (isNumber(t)) numbersB++;
  const numbers = sharedNumbers > 0 ? 1 : numbersA > 0 && numbersB > 0 ? -1 : 0;
  return { cosine, beyondTop, content: content.cosine, names: names.cosine, sharedContent: Math.min(content.shared, 3) / 3, numbers };
}
