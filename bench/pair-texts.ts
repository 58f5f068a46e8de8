import { articleFeatures, idfFromCounts, weightedVector, type PairText } from '@newsfold/clustering';
import { cleanArticleText, htmlToText } from '@newsfold/text';
import { stsHeadlines } from './corpora.js';
import { loadDay } from './news-days.js';

export interface Text {
  title: string;
  summary: string | null;
}

/**
 * Each text as pairs are scored: its terms weighted by IDF (document counts over the STS-B headlines,
 * as history, and the texts themselves) and the terms it writes as names.
 */
export function pairTexts(texts: readonly Text[], history: readonly string[] = stsHeadlines()): PairText[] {
  const past = history.map((t) => articleFeatures({ title: t, language: 'en' }));
  const features = texts.map((i) => articleFeatures({ title: i.title, summary: i.summary, language: 'en' }));
  const df = new Map<string, number>();
  for (const f of [...past, ...features]) for (const t of Object.keys(f.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = idfFromCounts(df, past.length + features.length);
  return features.map((f) => ({ vector: weightedVector(f.terms, idf), names: new Set(f.names ?? []) }));
}

/** A text labelled with the event it reports. */
export interface Item extends Text {
  event: string;
}

/** A news day's reports as texts, each labelled with its event. */
export function newsDayTexts(file: string, headlinesOnly: boolean): Item[] {
  return loadDay(file).outlets.flatMap((o) =>
    o.entries.map((e) => ({
      title: e.title,
      // As the normalizer stores it: text, without the page's chrome.
      summary: headlinesOnly || !e.summary ? null : cleanArticleText(htmlToText(e.summary), { title: e.title }).slice(0, 1000),
      event: e.event,
    })),
  );
}

