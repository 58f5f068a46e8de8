import { nameWords, tokenize } from './tokenize.js';
import { minhashSignature } from './minhash.js';

/** What clustering knows about an article: weighted terms, its language, and a near-copy signature. */
export interface ArticleFeatures {
  /** term → weight (term frequency with boosts; IDF is applied at scoring time). */
  terms: Record<string, number>;
  language: string;
  /** MinHash of the text's word 3-shingles; empty when the text is too short to judge copying. */
  signature: number[];
}

// Headlines carry the event; a summary adds context but also boilerplate and background, so its
// words count for less and only its opening words count at all.
export const TITLE_WEIGHT = 1;
export const SUMMARY_WEIGHT = 0.5;
export const SUMMARY_TOKENS = 40;
// Names and places say which event it is ("Jeddah", "Rubio") more than verbs do ("talks", "meet").
export const NAME_BOOST = 1.5;

export function articleFeatures(input: { title: string; summary?: string | null; language?: string | null }): ArticleFeatures {
  const title = tokenize(input.title, input.language);
  const language = title.language;
  const names = nameWords(input.title, language);
  const terms: Record<string, number> = {};
  for (const w of title.words) terms[w] = (terms[w] ?? 0) + TITLE_WEIGHT * (names.has(w) ? NAME_BOOST : 1);
  const summary = input.summary ? tokenize(input.summary, language).words.slice(0, SUMMARY_TOKENS) : [];
  for (const w of summary) terms[w] = (terms[w] ?? 0) + SUMMARY_WEIGHT;
  return { terms, language, signature: minhashSignature([...title.words, ...summary]) };
}
