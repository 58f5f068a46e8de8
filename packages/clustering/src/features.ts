import { nameWords, proseNameWords, tokenize } from './tokenize.js';
import { minhashSignature } from './minhash.js';
import { weightOf } from './similarity.js';

/** What clustering knows about an article: weighted terms, its language, and a near-copy signature. */
export interface ArticleFeatures {
  /** term → weight (term frequency with boosts; IDF is applied at scoring time). */
  terms: Record<string, number>;
  language: string;
  /** MinHash of the text's word 3-shingles; empty when the text is too short to judge copying. */
  signature: number[];
  /**
   * The terms the text writes as names (articleNames), when known: the settle pass tells a shared
   * name from shared content by them. Features stored before they were kept have none.
   */
  names?: readonly string[];
  /** Whether the text has a summary beside its headline (what the settle pass's join step reads), when known. */
  hasSummary?: boolean;
}

// Headlines carry the event; a summary adds context but also background, so its words count for
// less. Names and places say which event it is ("Jeddah", "Rubio", "Andriy Yermak") more than
// verbs do ("talks", "meet"), wherever they are written: a name in the summary weighs as much as
// one in the headline. Reports of one event in different headlines ("Zelensky's team arrives in
// Saudi Arabia…", "Rubio says he will listen to Kyiv's proposals…") share little but the people
// and places their summaries name.
export const TITLE_WEIGHT = 1;
export const SUMMARY_WEIGHT = 0.75;
export const NAME_BOOST = 1.5;
/** A summary's name: as heavy as a headline's. */
export const SUMMARY_NAME_WEIGHT = TITLE_WEIGHT * NAME_BOOST;
/** In effect the whole stored summary (the normalizer keeps 1,000 characters: under 100 words once stop words are gone). */
export const SUMMARY_TOKENS = 100;

/** The terms a headline and its summary write as names (nameWords, proseNameWords), sorted. */
export function articleNames(title: string, summary: string | null | undefined, language: string): string[] {
  const names = nameWords(title, language);
  if (summary) for (const n of proseNameWords(summary, language)) names.add(n);
  return [...names].sort();
}

export function articleFeatures(input: { title: string; summary?: string | null; language?: string | null }): ArticleFeatures {
  const title = tokenize(input.title, input.language);
  const language = title.language;
  const names = nameWords(input.title, language);
  const terms: Record<string, number> = {};
  for (const w of title.words) terms[w] = weightOf(terms, w) + TITLE_WEIGHT * (names.has(w) ? NAME_BOOST : 1);
  const summary = input.summary ? tokenize(input.summary, language).words.slice(0, SUMMARY_TOKENS) : [];
  const summaryNames = input.summary ? proseNameWords(input.summary, language) : new Set<string>();
  for (const w of summary) terms[w] = weightOf(terms, w) + (summaryNames.has(w) ? SUMMARY_NAME_WEIGHT : SUMMARY_WEIGHT);
  for (const n of summaryNames) names.add(n);
  return { terms, language, signature: minhashSignature([...title.words, ...summary]), names: [...names].sort(), hasSummary: summary.length > 0 };
}
