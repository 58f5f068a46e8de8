import { describe, expect, it } from 'vitest';
import { articleFeatures } from './features.js';
import { idfFromCounts } from './similarity.js';
import { agreement, joinNearby, splitGroup, type SplitArticle } from './split-groups.js';

function articles(texts: readonly [string, string | null][]): { list: SplitArticle[]; idf: ReturnType<typeof idfFromCounts> } {
  const list = texts.map(([title, summary]) => ({ features: articleFeatures({ title, summary, language: 'en' }) }));
  // Document counts as a window would give them: these and a few hundred others.
  const df = new Map<string, number>();
  for (const a of list) for (const t of Object.keys(a.features.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  return { list, idf: idfFromCounts(df, 500) };
}

const budget: [string, string][] = [
  [
    'Ekdahl signs 2027 budget into law after late-night vote',
    'President Tomas Ekdahl signed the 412 billion krona budget shortly after parliament passed it in a late-night vote, including the contested fuel-tax rise.',
  ],
  [
    'Budget with fuel-tax rise becomes law',
    'The 412 billion krona budget, with its fuel-tax rise, was signed into law by President Ekdahl hours after the late-night parliament vote.',
  ],
  [
    'President approves spending plan after marathon session',
    'Ekdahl put his signature to the budget after a late-night vote in parliament, ending weeks of dispute over the fuel-tax rise.',
  ],
];
const sacking: [string, string][] = [
  [
    'Ekdahl sacks defence minister over radar scandal',
    'President Tomas Ekdahl dismissed Defence Minister Jonas Rask on Thursday over the Holmvik Systems coastal radar procurement scandal.',
  ],
  [
    "'I have lost confidence in him': Ekdahl drops defence chief",
    'Jonas Rask was dismissed as defence minister after auditors found the coastal radar contract with Holmvik Systems was awarded without tender.',
  ],
  [
    'Defence minister Rask fired as radar contract row deepens',
    'President Ekdahl fired Jonas Rask, saying the Holmvik Systems radar procurement had broken the rules on tender.',
  ],
];

describe('splitGroup', () => {
  it('splits a story holding two events about one president into the two', async () => {
    const { list, idf } = articles([budget[0], sacking[0], budget[1], sacking[1], budget[2], sacking[2]] as [string, string][]);
    expect(await splitGroup(list, idf)).toEqual([
      [0, 2, 4],
      [1, 3, 5],
    ]);
  });

  it('keeps one event told in different words together', async () => {
    const { list, idf } = articles(budget);
    expect(await splitGroup(list, idf)).toEqual([[0, 1, 2]]);
  });

  it('keeps what is given together (an editor\'s story), letting the others go their own way', async () => {
    const { list, idf } = articles([budget[0], sacking[0], budget[1], sacking[1]] as [string, string][]);
    const pieces = await splitGroup(list, idf, [0, 1]);
    expect(pieces?.find((p) => p.includes(0))).toContain(1);
    expect(pieces?.flat().sort()).toEqual([0, 1, 2, 3]);
  });

  it('holds headlines to a lower bar than texts with summaries: they share fewer words', async () => {
    const { list, idf } = articles([
      ['Sbarro files for bankruptcy again', null],
      ['Pizza chain Sbarro back in bankruptcy court', null],
      ['Sbarro reportedly preparing for Chapter 11', null],
    ]);
    expect(await splitGroup(list, idf)).toEqual([[0, 1, 2]]);
  });
});

describe('joinNearby', () => {
  const { list, idf } = articles([...budget, ...sacking]);
  const group = (...at: number[]) => ({ articles: at.map((i) => list[i] as SplitArticle), fixed: false });

  it('joins groups that came near when their articles agree on average', async () => {
    expect(await joinNearby([group(0), group(1, 2), group(3, 4)], [[0, 1]], idf)).toEqual([[0, 1]]);
  });

  it('looks only at groups that came near each other', async () => {
    expect(await joinNearby([group(0), group(1, 2)], [], idf)).toEqual([]);
  });

  it('keeps two events about one president apart, near or not', async () => {
    expect(await joinNearby([group(0, 1, 2), group(3, 4, 5)], [[0, 1]], idf)).toEqual([]);
  });

  it('never joins two fixed groups', async () => {
    expect(await joinNearby([{ ...group(0), fixed: true }, { ...group(1, 2), fixed: true }], [[0, 1]], idf)).toEqual([]);
    expect(await joinNearby([{ ...group(0), fixed: true }, group(1, 2)], [[1, 0]], idf)).toEqual([[0, 1]]);
  });

  it('takes no evidence from headlines alone', async () => {
    const { list: bare, idf: bareIdf } = articles([
      ['Sbarro files for bankruptcy again', null],
      ['Sbarro files for bankruptcy protection', null],
      ['Pizza chain Sbarro files for bankruptcy', null],
    ]);
    const only = (...at: number[]) => ({ articles: at.map((i) => bare[i] as SplitArticle), fixed: false });
    expect(await joinNearby([only(0), only(1, 2)], [[0, 1]], bareIdf)).toEqual([]);
  });
});

describe('agreement', () => {
  it('scores each article by its mean agreement with the others, the odd one out lowest', async () => {
    const { list, idf } = articles([...budget, sacking[0]] as [string, string][]);
    const scores = (await agreement(list, idf)) ?? [];
    expect(scores).toHaveLength(4);
    expect(Math.min(...scores)).toBe(scores[3]);
    // The budget reports agree at 0.5–0.75 with the others; the sacking at about 0.3.
    expect(Math.min(...scores.slice(0, 3))).toBeGreaterThan(1.5 * (scores[3] as number));
  });

  it('gives an article alone 1', async () => {
    const { list, idf } = articles([budget[0]] as [string, string][]);
    expect(await agreement(list, idf)).toEqual([1]);
  });
});

describe('splitGroup and agreement, told of their work', () => {
  it('report every pair they score, and stop when told to', async () => {
    const { list, idf } = articles([...budget, ...sacking]);
    let told = 0;
    const pieces = await splitGroup(list, idf, [], async (n) => ((told += n), true));
    expect(pieces).toHaveLength(2);
    expect(told).toBe((6 * 5) / 2);
    expect(await splitGroup(list, idf, [], async () => false)).toBeNull();
    expect(await agreement(list, idf, async () => false)).toBeNull();
  });
});
