import { articleFeatures, idfFromCounts, settleGroups, type SettleArticle } from '@newsfold/clustering';
import { agreement } from '../../packages/clustering/src/split-groups.js';
import { cleanArticleText, htmlToText, titleKey } from '@newsfold/text';
import { stsHeadlines } from '../corpora.js';
import { loadDay } from '../news-days.js';

const history = stsHeadlines().map((t) => articleFeatures({ title: t, language: 'en' }));
for (const file of ['crowded-day.json', 'busy-day.json']) {
  const day = loadDay(file);
  const items = day.outlets.flatMap((o) => o.entries.map((e) => ({ title: e.title, summary: e.summary ? cleanArticleText(htmlToText(e.summary), { title: e.title }).slice(0, 1000) : null, event: e.event, at: Date.parse(e.publishedAt), url: e.url })));
  const feats = items.map((i) => articleFeatures({ title: i.title, summary: i.summary, language: 'en' }));
  const df = new Map<string, number>();
  for (const f of [...history, ...feats]) for (const t of Object.keys(f.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const documents = history.length + feats.length;
  const articles: SettleArticle[] = items.map((it, i) => ({ id: String(i + 1), features: feats[i]!, titleKey: titleKey(it.title), eventAt: new Date(it.at), tieBreak: it.url }));
  const res = (await settleGroups({ articles, fixed: [], separations: [], df, documents, windowMs: 3 * 86_400_000 }))!;
  const idf = idfFromCounts(df, documents);
  const good: number[] = [], bad: number[] = [];
  for (const g of res.groups) {
    if (g.articleIds.length < 3) continue;
    const arts = g.articleIds.map((id) => articles[Number(id) - 1]!);
    const ev = g.articleIds.map((id) => items[Number(id) - 1]!.event);
    const count = new Map<string, number>(); ev.forEach((e) => count.set(e, (count.get(e) ?? 0) + 1));
    const major = [...count].sort((a, b) => b[1] - a[1])[0]![0];
    const ag = agreement(arts, idf);
    ag.forEach((a, i) => (ev[i] === major ? good : bad).push(a));
    ag.forEach((a, i) => { if (ev[i] !== major) console.log(file, a.toFixed(3), items[Number(g.articleIds[i]) - 1]!.title); });
  }
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!.toFixed(3);
  console.log(file, 'good n', good.length, 'p5', q(good, 0.05), 'p10', q(good, 0.1), 'median', q(good, 0.5), '| bad n', bad.length, 'median', q(bad, 0.5), 'max', q(bad, 1));
}
