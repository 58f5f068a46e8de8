import { articleFeatures, bcubed, cosine, idfFromCounts, nameWords, proseNameWords, tokenize, weightedVector } from '@newsfold/clustering';
import { cleanArticleText, htmlToText } from '@newsfold/text';
import { stsHeadlines, uciHeadlines } from './corpora.js';
import { loadDay } from './news-days.js';
import { printTable } from './table.js';

/**
 * `pnpm bench cluster --rules`: grouping rules the placing rule could become, compared offline on
 * the labelled sets (what the folding issue asks for: evidence between articles, not a grown
 * centroid). Each set is grouped whole by average-link agglomeration (two groups join while the
 * mean of their articles' pair scores is at least the threshold), pair scores being TF-IDF
 * cosines (IDF from the STS-B headlines and the set), with or without a gate: a pair sharing
 * fewer than two words that are not names scores 0 ("one famous name plus topic words" is not
 * evidence of one event). Exhaustive, O(n³): sets of hundreds of articles.
 */

interface Item {
  title: string;
  summary: string | null;
  event: string;
}

const THRESHOLDS = [0.15, 0.2, 0.25, 0.3];

function newsDay(file: string, headlinesOnly: boolean): Item[] {
  return loadDay(file).outlets.flatMap((o) =>
    o.entries.map((e) => ({
      title: e.title,
      // As the normalizer stores it: text, without the page's chrome.
      summary: headlinesOnly || !e.summary ? null : cleanArticleText(htmlToText(e.summary), { title: e.title }).slice(0, 1000),
      event: e.event,
    })),
  );
}

/** Each article's terms (weighted by IDF) and the terms its names are written as. */
function represent(items: readonly Item[]): { vectors: Map<string, number>[]; names: Set<string>[] } {
  const history = stsHeadlines().map((t) => articleFeatures({ title: t, language: 'en' }));
  const features = items.map((i) => articleFeatures({ title: i.title, summary: i.summary, language: 'en' }));
  const df = new Map<string, number>();
  for (const f of [...history, ...features]) for (const t of Object.keys(f.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = idfFromCounts(df, history.length + features.length);
  const names = items.map((i) => {
    const written = [...nameWords(i.title, 'en'), ...(i.summary ? proseNameWords(i.summary, 'en') : [])];
    return new Set(written.flatMap((w) => tokenize(w, 'en').words));
  });
  return { vectors: features.map((f) => weightedVector(f.terms, idf)), names };
}

function pairScores(items: readonly Item[], gated: boolean): number[][] {
  const { vectors, names } = represent(items);
  return vectors.map((a, i) =>
    vectors.map((b, j) => {
      if (!gated) return cosine(a, b);
      let content = 0;
      for (const t of a.keys()) if (b.has(t) && !names[i]?.has(t) && !names[j]?.has(t)) content += 1;
      return content < 2 ? 0 : cosine(a, b);
    }),
  );
}

/** Average-link agglomeration down to `threshold`: each article's group. */
function averageLink(scores: number[][], threshold: number): number[] {
  const groups = scores.map((_, i) => [i]);
  for (;;) {
    let best = -Infinity;
    let pair: [number, number] = [-1, -1];
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        let sum = 0;
        for (const a of groups[i] as number[]) for (const b of groups[j] as number[]) sum += scores[a]?.[b] ?? 0;
        const mean = sum / ((groups[i] as number[]).length * (groups[j] as number[]).length);
        if (mean > best) [best, pair] = [mean, [i, j]];
      }
    }
    if (best < threshold) break;
    const [i, j] = pair;
    groups[i] = [...(groups[i] as number[]), ...(groups[j] as number[])];
    groups.splice(j, 1);
  }
  const out = new Array<number>(scores.length).fill(-1);
  groups.forEach((g, k) => g.forEach((i) => (out[i] = k)));
  return out;
}

export function groupingRules(): void {
  const sets: [string, Item[]][] = [
    ['crowded day', newsDay('crowded-day.json', false)],
    ['crowded day, headlines', newsDay('crowded-day.json', true)],
    ['Jeddah', newsDay('jeddah.json', false)],
    ['Jeddah, headlines', newsDay('jeddah.json', true)],
    ['UCI (headlines)', uciHeadlines().map((h) => ({ title: h.title, summary: null, event: h.story }))],
  ];
  const rows: (string | number)[][] = [];
  for (const gated of [false, true]) {
    const scores = sets.map(([, items]) => pairScores(items, gated));
    for (const threshold of THRESHOLDS) {
      const cells = sets.map(([, items], k) => {
        const groups = averageLink(scores[k] as number[][], threshold);
        const { precision, f1 } = bcubed(groups.map(String), items.map((i) => i.event));
        const events = new Map<number, Set<string>>();
        groups.forEach((g, i) => events.set(g, (events.get(g) ?? new Set()).add((items[i] as Item).event)));
        const mixed = [...events.values()].filter((e) => e.size > 1).length;
        return `${f1.toFixed(3)} (P ${precision.toFixed(2)}, ${mixed} mixed)`;
      });
      rows.push([gated ? 'average-link, ≥ 2 shared words beyond names' : 'average-link TF-IDF', threshold.toFixed(2), ...cells]);
    }
  }
  console.log('\nGrouping rules compared offline on the labelled sets (B-cubed F1, precision, groups mixing events)\n');
  printTable(['rule', 'threshold', ...sets.map(([name]) => name)], rows);
}
