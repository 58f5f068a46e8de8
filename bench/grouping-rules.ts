import {
  averageLink,
  bcubed,
  candidatePairs,
  eventScore,
  pairFeatures,
  RICH_TERMS,
  type PairFeatures,
  type PairText,
  type ScoredPair,
} from '@newsfold/clustering';
import { uciHeadlines } from './corpora.js';
import { fitPairModel, pairProbability } from './pair-fit.js';
import { newsDayTexts, pairTexts, type Item } from './pair-texts.js';
import { printTable } from './table.js';

/**
 * `pnpm bench cluster --rules`: grouping rules the placing rule could become, compared offline on
 * the labelled sets (what the folding issue asks for: evidence between articles, not a grown
 * centroid). Each set is grouped whole by average-link agglomeration (averageLink: two groups join
 * while the mean of their articles' pair scores is at least the threshold). Pair scores: TF-IDF
 * cosines (IDF from the STS-B headlines and the set), with or without a gate (a pair sharing fewer
 * than two words that are not names scores 0: "one famous name plus topic words" is not evidence
 * of one event), and the logistic model `--fit` fits on the corpora. Every pair is scored, or only
 * the candidate pairs (candidatePairs) a window too large for every pair would score.
 */

interface Scored {
  texts: PairText[];
  /** Every pair's features, both ways round (the diagonal unused). */
  features: PairFeatures[][];
}

function scoreAll(items: readonly Item[]): Scored {
  const texts = pairTexts(items);
  const features: PairFeatures[][] = texts.map(() => []);
  texts.forEach((a, i) => {
    for (let j = i; j < texts.length; j++) {
      const f = pairFeatures(a, texts[j] as PairText);
      (features[i] as PairFeatures[])[j] = f;
      (features[j] as PairFeatures[])[i] = f;
    }
  });
  return { texts, features };
}

interface Rule {
  name: string;
  thresholds: number[];
  /** The pairs it scores: all, or the candidate graph's (those sharing a strongest term). */
  sparse?: boolean;
  score(f: PairFeatures, a: PairText, b: PairText): number;
}

const rich = (a: PairText, b: PairText) => a.vector.size >= RICH_TERMS && b.vector.size >= RICH_TERMS;

const RULES: Rule[] = [
  { name: 'average-link TF-IDF', thresholds: [0.15, 0.2, 0.25, 0.3], score: (f) => f.cosine },
  // "One famous name plus topic words" is not evidence of one event.
  { name: 'average-link, ≥ 2 shared words beyond names', thresholds: [0.15, 0.2, 0.25, 0.3], score: (f) => (f.sharedContent < 2 / 3 ? 0 : f.cosine) },
  { name: 'average-link, same between texts with summaries', thresholds: [0.15, 0.2, 0.25], score: (f, a, b) => (rich(a, b) && f.sharedContent < 2 / 3 ? 0 : f.cosine) },
  { name: 'average-link, eventScore, candidate pairs only', thresholds: [0.15, 0.2, 0.25], sparse: true, score: (_, a, b) => eventScore(a, b) },
];

/** Each item's group (its index among the groups). */
function groupsOf(size: number, pairs: ScoredPair[], threshold: number): number[] {
  const out = new Array<number>(size).fill(-1);
  averageLink({ size, pairs, threshold }).forEach((g, k) => g.forEach((i) => (out[i] = k)));
  return out;
}

function pairsFor(rule: Rule, { texts, features }: Scored): ScoredPair[] {
  const all: [number, number][] = [];
  if (!rule.sparse) for (let a = 0; a < texts.length; a++) for (let b = a + 1; b < texts.length; b++) all.push([a, b]);
  return (rule.sparse ? candidatePairs(texts) : all)
    .map(([a, b]) => ({ a, b, score: rule.score(features[a]?.[b] as PairFeatures, texts[a] as PairText, texts[b] as PairText) }))
    .filter((p) => p.score > 0);
}

export function groupingRules(): void {
  const sets: [string, Item[]][] = [
    ['crowded day', newsDayTexts('crowded-day.json', false)],
    ['crowded day, headlines', newsDayTexts('crowded-day.json', true)],
    ['Jeddah', newsDayTexts('jeddah.json', false)],
    ['Jeddah, headlines', newsDayTexts('jeddah.json', true)],
    ['busy day', newsDayTexts('busy-day.json', false)],
    ['UCI (headlines)', uciHeadlines().map((h) => ({ title: h.title, summary: null, event: h.story }))],
  ];
  const model = fitPairModel(false);
  const rules: Rule[] = [...RULES, { name: 'average-link, pair model fitted on the corpora (--fit)', thresholds: [0.3, 0.5], score: (f) => pairProbability(f, model) }];
  const scored = sets.map(([, items]) => scoreAll(items));
  const rows: (string | number)[][] = [];
  for (const rule of rules) {
    const pairs = scored.map((s) => pairsFor(rule, s));
    for (const threshold of rule.thresholds) {
      const cells = sets.map(([, items], k) => {
        const groups = groupsOf(items.length, pairs[k] as ScoredPair[], threshold);
        const { precision, f1 } = bcubed(groups.map(String), items.map((i) => i.event));
        const events = new Map<number, Set<string>>();
        groups.forEach((g, i) => events.set(g, (events.get(g) ?? new Set()).add((items[i] as Item).event)));
        const mixed = [...events.values()].filter((e) => e.size > 1).length;
        return `${f1.toFixed(3)} (P ${precision.toFixed(2)}, ${mixed} mixed)`;
      });
      rows.push([rule.name, threshold.toFixed(2), ...cells]);
    }
  }
  console.log('\nGrouping rules compared offline on the labelled sets (B-cubed F1, precision, groups mixing events)\n');
  printTable(['rule', 'threshold', ...sets.map(([name]) => name)], rows);
}
