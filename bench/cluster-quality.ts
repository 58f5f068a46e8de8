import { articleFeatures, bcubed, idfFromCounts, JOIN_THRESHOLD, scoreCandidate } from '@newsfold/clustering';
import { insertFeed, storyEngineState, termFrequencies } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { normalizeEntries } from '@newsfold/normalizer';
import { placePending, settleStories } from '@newsfold/stories';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { titleKey } from '@newsfold/text';
import { stsHeadlines, stsPairs, uciHeadlines } from './corpora.js';
import { crowdedWindow } from './crowded-window.js';
import { newsDays } from './news-days.js';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';
import { median, quantile, rocAuc } from './stats.js';

const DAY = 86_400_000;
const WINDOW = 3 * DAY;

function entry(guid: string, title: string, url: string | null, publishedAt: Date | null): WireEntry {
  return { guid, url, title, summary: null, contentHtml: null, author: null, publishedAt: publishedAt?.toISOString() ?? null, categories: [], imageUrl: null };
}

function job(feedId: string, feedUrl: string, title: string, entries: WireEntry[]): FetchedEntries {
  return { feedId, feedUrl, fetchedAt: new Date().toISOString(), feed: { title, siteUrl: null, language: 'en' }, entries };
}

/**
 * `pnpm bench cluster`: replays the UCI headlines (one feed per publisher, in ID order) through
 * normalizeEntries — the production path — into a scratch database, and scores the clustering
 * with B-cubed against the labelled stories; then scores the assignment rule (scoreCandidate) on STS-B pairs.
 *
 * IDF in production comes from every article an instance has seen. A scratch database has seen
 * nothing, so it is first given a history: the STS-B headlines (a different corpus, from other
 * dates), dated two months back so they count for IDF but are never candidates.
 */
export async function clusterQuality(): Promise<void> {
  const db = await scratchDatabase();
  const log = createLogger({ level: 'silent' });
  const deps = { pool: db.pool, log };
  try {
    const pairs = stsPairs();
    const history = stsHeadlines();
    const { feed: past } = await insertFeed(db.pool, { url: 'https://history.bench.invalid/feed' });
    const longAgo = new Date(Date.now() - 60 * DAY);
    for (let i = 0; i < history.length; i += 250) {
      const slice = history.slice(i, i + 250).map((t, k) => entry(`h${i + k}`, t, null, longAgo));
      await normalizeEntries(deps, job(past.id, past.url, 'History', slice));
    }
    await placePending(db.pool, { windowMs: WINDOW });

    const headlines = uciHeadlines();
    const feeds = new Map<string, { id: string; url: string }>();
    const timings: number[] = [];
    for (const h of headlines) {
      let feed = feeds.get(h.publisher);
      if (!feed) {
        const slug = encodeURIComponent(h.publisher.toLowerCase().replace(/\s+/g, '-'));
        feed = (await insertFeed(db.pool, { url: `https://${slug}.bench.invalid/feed` })).feed;
        feeds.set(h.publisher, feed);
      }
      const started = performance.now();
      await normalizeEntries(deps, job(feed.id, feed.url, h.publisher, [entry(`uci-${h.id}`, h.title, null, null)]));
      timings.push(performance.now() - started);
    }
    // Placed as the story assigner places them: in batches, in (event time, id) order.
    const placed = await placePending(db.pool, { windowMs: WINDOW });
    const gold = headlines.map((h) => h.story);
    const grouping = async () => {
      const { rows } = await db.pool.query<{ guid: string; story: string }>(`SELECT guid, story_id::text AS story FROM articles WHERE guid LIKE 'uci-%'`);
      const storyOf = new Map(rows.map((r) => [r.guid, r.story]));
      return { score: bcubed(headlines.map((h) => storyOf.get(`uci-${h.id}`) ?? `missing-${h.id}`), gold), stories: new Set(storyOf.values()).size };
    };
    const online = await grouping();
    // Then the settle pass over the last day (the UCI headlines; the history is older).
    const settle = await settleStories(db.pool, { windowMs: WINDOW, spanMs: DAY });
    const settled = await grouping();
    const singletons = bcubed(headlines.map((h) => String(h.id)), gold);
    const exact = bcubed(headlines.map((h) => titleKey(h.title)), gold);
    timings.sort((a, b) => a - b);

    console.log(`\nStory clustering on uci-news-subset (${headlines.length} headlines, ${feeds.size} publishers, titles only; B-cubed)\n`);
    printTable(
      ['method', 'precision', 'recall', 'F1', 'stories'],
      [
        ['every headline alone', singletons.precision, singletons.recall, singletons.f1, headlines.length],
        ['exact normalised title (FreshRSS)', exact.precision, exact.recall, exact.f1, new Set(headlines.map((h) => titleKey(h.title))).size],
        ['trigram ≥ 0.75 (Tiny Tiny RSS), from corpora README', '', '', 0.054, ''],
        ['single-link TF-IDF ≥ 0.35, from corpora README', 0.81, '', 0.469, ''],
        ['newsfold, as the assigner placed them', online.score.precision, online.score.recall, online.score.f1, online.stories],
        ['newsfold, settled (what readers see)', settled.score.precision, settled.score.recall, settled.score.f1, settled.stories],
      ],
    );
    console.log(`\nper-headline normalize job (stored pending): median ${median(timings).toFixed(1)} ms, p95 ${quantile(timings, 0.95).toFixed(1)} ms`);
    console.log(`story assigner: ${placed.placed} articles placed in ${placed.seconds.toFixed(2)} s (${Math.round(placed.placed / placed.seconds)} articles/s)`);
    console.log(`settle pass: ${settle.articles} articles re-grouped in ${settle.seconds.toFixed(2)} s, ${settle.moved} moved`);

    // The very rule assignment applies (scoreCandidate: same title, near copy, too short, the
    // beyond-top-term gate, cosine), one headline against a story of the other, at the same time,
    // IDF from the same database.
    const features = (t: string) => articleFeatures({ title: t, language: 'en' });
    const scored = pairs.map((p) => ({ p, fa: features(p.a), fb: features(p.b) }));
    const df = await termFrequencies(db.pool, [...new Set(scored.flatMap(({ fa, fb }) => [...Object.keys(fa.terms), ...Object.keys(fb.terms)]))]);
    const idf = idfFromCounts(df, (await storyEngineState(db.pool)).documents);
    const at = new Date();
    const similarity = scored.map(({ p, fa, fb }) => {
      const article = { features: fa, titleKey: titleKey(p.a), eventAt: at };
      const story = { storyId: '1', centroid: fb.terms, lastAt: at.getTime(), signatures: [fb.signature], titleKeys: [titleKey(p.b)] };
      return { gold: p.score, score: scoreCandidate(article, story, idf, WINDOW).score };
    });
    const pos = similarity.filter((s) => s.gold >= 4).map((s) => s.score);
    const neg = similarity.filter((s) => s.gold <= 1).map((s) => s.score);
    const correct = pos.filter((s) => s >= JOIN_THRESHOLD).length + neg.filter((s) => s < JOIN_THRESHOLD).length;
    console.log(`\nHeadline similarity on stsb-headlines (${pos.length} pairs scored ≥ 4 = same story, ${neg.length} pairs ≤ 1 = different)\n`);
    printTable(
      ['measure', 'value'],
      [
        ['ROC AUC', rocAuc(pos, neg)],
        [`accuracy at the join threshold ${JOIN_THRESHOLD}`, correct / (pos.length + neg.length)],
        ['same-story pairs at or above it', pos.filter((s) => s >= JOIN_THRESHOLD).length / pos.length],
        ['different-story pairs below it', neg.filter((s) => s < JOIN_THRESHOLD).length / neg.length],
      ],
    );
    crowdedWindow();
  } finally {
    await db.drop();
  }
  await newsDays();
}
