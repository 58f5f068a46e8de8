import { articleFeatures, idfFromCounts } from '@newsfold/clustering';
import { termStats, unassignedArticles, upsertArticles, type ArticleInput, type Pool, type PoolClient, type UnassignedArticle } from '@newsfold/db';
import { placeArticle, retrieveCandidates } from '@newsfold/stories';
import { titleKey } from '@newsfold/text';
import { addArticles, checkVocabulary, installHelpers, prepareLoader, queryProfiler, VOCAB, ZIPF_OFFSET, zipfTerm } from './scale-data.js';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';
import { median, quantile } from './stats.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const SIZES = [10_000, 100_000, 1_000_000];
const MEASURED = 300;
const WARMUP = 20;

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

function parseMax(args: string[]): number {
  const at = args.findIndex((a) => a === '--max' || a.startsWith('--max='));
  if (at < 0) return Infinity;
  const arg = args[at] ?? '';
  const value = Number(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1]);
  if (!Number.isFinite(value) || value < SIZES[0]!) throw new Error(`--max needs a number ≥ ${SIZES[0]}`);
  return value;
}


function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

type Feed = { feedId: string; outletId: string };

/**
 * New headlines to place: half drawn from existing stories (7 of a random story's centroid terms
 * plus 2 random words: these should join it), half 9 random words (these should mostly start
 * stories). Returned shuffled, with the ids of the drawn ones.
 */
async function newArticles(pool: Pool, feed: Feed, label: string, count: number): Promise<{ articles: UnassignedArticle[]; drawn: Set<string> }> {
  const { rows } = await pool.query<{ centroid: Record<string, number> }>(
    `SELECT centroid FROM stories WHERE id IN (SELECT id FROM stories WHERE last_event_at > now() - interval '72 hours' ORDER BY random() LIMIT $1)`,
    [Math.floor(count / 2)],
  );
  const now = Date.now();
  const inputs: ArticleInput[] = [];
  for (let i = 0; i < count; i++) {
    const keys = Object.keys(rows[i]?.centroid ?? {});
    const words = keys.length > 0 ? Array.from({ length: 7 }, () => keys[Math.floor(Math.random() * keys.length)] as string) : [];
    while (words.length < 9) words.push(zipfTerm());
    const title = shuffle(words).join(' ');
    const features = articleFeatures({ title, language: 'en' });
    inputs.push({
      guid: `new-${label}-${keys.length > 0 ? 'drawn' : 'random'}-${i}`,
      url: null,
      title,
      titleKey: titleKey(title),
      summary: null,
      contentHtml: null,
      author: null,
      publishedAt: new Date(now - Math.random() * 30 * 60_000),
      contentHash: `h-${label}-${i}`,
      language: 'en',
      features: features.terms,
      signature: features.signature,
    });
  }
  const upserted = await upsertArticles(pool, feed, inputs);
  const drawn = new Set(upserted.filter((u) => u.guid.includes('-drawn-')).map((u) => u.id));
  return { articles: shuffle(await unassignedArticles(pool, upserted.map((u) => u.id))), drawn };
}

interface Tally {
  times: number[];
  /** [placed, joined an existing story] for drawn and for random headlines. */
  drawn: [number, number];
  random: [number, number];
  merges: number;
  /** Times of the assignments that merged nothing (see the merges note in clusterScale). */
  unmerged: number[];
}
const tally = (): Tally => ({ times: [], drawn: [0, 0], random: [0, 0], merges: 0, unmerged: [] });

/** Places the articles one at a time through the production placeArticle, timing each call. */
async function assignAll(pool: Pool, articles: UnassignedArticle[], drawn: Set<string>, into: Tally): Promise<void> {
  for (const article of articles) {
    const started = performance.now();
    const result = await placeArticle(pool, article, { windowMs: WINDOW });
    const elapsed = performance.now() - started;
    into.times.push(elapsed);
    if (!result?.decision.merges.length) into.unmerged.push(elapsed);
    const kind = drawn.has(article.id) ? into.drawn : into.random;
    kind[0] += 1;
    if (result && result.decision.storyId !== null) kind[1] += 1;
    into.merges += result?.decision.merges.length ?? 0;
  }
}

interface Scratch {
  db: Awaited<ReturnType<typeof scratchDatabase>>;
  profiler: ReturnType<typeof queryProfiler>;
  feed: Feed;
  loader: PoolClient;
  have: number;
}

async function openScratch(): Promise<Scratch> {
  const db = await scratchDatabase();
  const profiler = queryProfiler(db.pool);
  await installHelpers(db.pool);
  const { rows } = await db.pool.query<{ outlet: string; feed: string }>(
    `WITH o AS (INSERT INTO outlets (site_key, name) VALUES ('new.bench.invalid', 'New articles') RETURNING id)
     INSERT INTO feeds (url, outlet_id, title) SELECT 'https://new.bench.invalid/feed', id, 'New articles' FROM o
     RETURNING outlet_id::text AS outlet, id::text AS feed`,
  );
  const loader = await db.pool.connect();
  await prepareLoader(loader);
  return { db, profiler, feed: { feedId: rows[0]?.feed ?? '', outletId: rows[0]?.outlet ?? '' }, loader, have: 0 };
}

async function closeScratch(s: Scratch): Promise<void> {
  s.loader.release(true); // its session has FK triggers off: never hand it back to the pool
  await s.db.drop();
}

/** Grows the database to `size` synthetic articles; returns the seconds it took. */
async function grow(s: Scratch, size: number): Promise<number> {
  const started = performance.now();
  log(`filling ${s.have.toLocaleString('en')} → ${size.toLocaleString('en')} articles`);
  await addArticles(s.loader, size - s.have, log);
  s.have = size;
  log(`filled in ${seconds(started)} s`);
  return (performance.now() - started) / 1000;
}

interface Measurement {
  articles: number;
  stories: number;
  storyTerms: number;
  tally: Tally;
  candidates: number[];
  candidateMs: number[];
  /** SQL statement → total ms over the timed assignments. */
  queries: Map<string, number>;
}

async function measure(s: Scratch, label: string): Promise<Measurement> {
  const pool = s.db.pool;
  log(`assigning ${MEASURED} articles (+${WARMUP} warm-up)`);
  const { articles, drawn } = await newArticles(pool, s.feed, label, MEASURED + WARMUP);
  await assignAll(pool, articles.slice(0, WARMUP), drawn, tally());
  const timed = tally();
  s.profiler.start();
  await assignAll(pool, articles.slice(WARMUP), drawn, timed);
  const queries = s.profiler.stop();
  // Candidate retrieval on its own, after the timed pass (so it cannot warm the cache for it):
  // retrieveCandidates, as placeArticle calls it (its 8 highest tf·idf terms), and the stories they bring.
  const candidates: number[] = [];
  const candidateMs: number[] = [];
  for (const article of articles.slice(WARMUP)) {
    const features = article.features ?? {};
    const terms = Object.keys(features);
    const stats = await termStats(pool, terms);
    const idf = idfFromCounts(stats.df, stats.documents);
    const started = performance.now();
    const found = await retrieveCandidates(pool, features, idf, new Date(article.eventAt.getTime() - WINDOW));
    candidateMs.push(performance.now() - started);
    candidates.push(found.length);
  }
  const { rows } = await pool.query<{ articles: number; stories: number; terms: number }>(
    `SELECT (SELECT count(*) FROM articles WHERE event_at >= now() - interval '72 hours')::int AS articles,
            (SELECT count(*) FROM stories WHERE last_event_at >= now() - interval '72 hours')::int AS stories,
            (SELECT count(*) FROM story_terms)::int AS terms`,
  );
  const counts = rows[0] ?? { articles: 0, stories: 0, terms: 0 };
  log(`  median ${median(timed.times).toFixed(2)} ms, ${median(candidates)} candidates`);
  return { articles: counts.articles, stories: counts.stories, storyTerms: counts.terms, tally: timed, candidates, candidateMs, queries };
}

/**
 * The machine's load drifts over minutes, so sizes measured minutes apart are compared under
 * different noise. This re-check alternates batches of 20 between a fresh 10k database and the
 * largest one, so both see the same noise.
 */
async function interleaved(big: Scratch, label: string): Promise<{ small: Tally; big: Tally }> {
  const small = await openScratch();
  try {
    await grow(small, SIZES[0] ?? 10_000);
    log(`interleaving ${MEASURED} assignments on a fresh 10k database and the ${label} one`);
    const a = await newArticles(small.db.pool, small.feed, 'small', MEASURED + WARMUP);
    const b = await newArticles(big.db.pool, big.feed, 'again', MEASURED + WARMUP);
    const out = { small: tally(), big: tally() };
    for (let i = 0; i < MEASURED + WARMUP; i += WARMUP) {
      const counted = i >= WARMUP;
      await assignAll(small.db.pool, a.articles.slice(i, i + WARMUP), a.drawn, counted ? out.small : tally());
      await assignAll(big.db.pool, b.articles.slice(i, i + WARMUP), b.drawn, counted ? out.big : tally());
    }
    return out;
  } finally {
    await closeScratch(small);
  }
}

/**
 * `pnpm bench cluster --scale [--max N]`: story-assignment throughput as the window grows from
 * 10k to 100k to 1M articles (synthetic, see scale-data.ts). One scratch database grows in steps;
 * at each size 300 new articles are placed one at a time through the production placeArticle.
 */
export async function clusterScale(args: string[]): Promise<void> {
  const max = parseMax(args);
  const sizes = SIZES.filter((n) => n <= max);
  checkVocabulary();
  const results: Measurement[] = [];
  const fills: number[] = [];
  let recheck: { small: Tally; big: Tally } | null = null;
  const s = await openScratch();
  try {
    for (const size of sizes) {
      fills.push(await grow(s, size));
      results.push(await measure(s, String(size)));
    }
    if (sizes.length > 1) recheck = await interleaved(s, sizeLabel(sizes.at(-1) ?? 0));
  } finally {
    await closeScratch(s);
  }

  const base = median(results[0]?.tally.times ?? []);
  const pct = ([n, joined]: [number, number]) => `${n === 0 ? 0 : Math.round((100 * joined) / n)}%`;
  console.log(`\nStory assignment at scale (synthetic: ${VOCAB.toLocaleString('en')}-word vocabulary, P(k) ∝ 1/(k + ${ZIPF_OFFSET}), stories of 1–10 articles, 72 h window; ${MEASURED} assignments per size after ${WARMUP} warm-up)\n`);
  printTable(
    ['articles in window', 'stories', 'story_terms rows', 'fill s', 'median ms', 'p95 ms', 'articles/s', '× 10k median', 'joined (drawn / random)', 'merges', 'median ms, no merge', 'candidates (median)', 'candidate query ms'],
    results.map((m, i) => {
      const sorted = [...m.tally.times].sort((a, b) => a - b);
      const med = quantile(sorted, 0.5);
      return [
        m.articles,
        m.stories,
        m.storyTerms,
        (fills[i] ?? 0).toFixed(0),
        med,
        quantile(sorted, 0.95),
        (1000 / med).toFixed(1),
        med / base,
        `${pct(m.tally.drawn)} / ${pct(m.tally.random)}`,
        String(m.tally.merges),
        median(m.tally.unmerged),
        median(m.candidates),
        median(m.candidateMs),
      ];
    }),
  );
  console.log(
    `\nmerges: stories folded in by the measured assignments. The fill writes stories without clustering them, so pairs similar enough to\n` +
      `merge (which production would have merged as they formed) are left for the new articles to bridge: merges overstate the steady\n` +
      `state, more at larger sizes. "no merge" is the median over assignments that merged nothing.`,
  );
  const last = results.at(-1);
  const top = sizeLabel(sizes.at(-1) ?? 0);
  if (last && results.length > 1) {
    const ratio = median(last.tally.times) / base;
    console.log(`\n${top}/10k median ratio: ${verdict(ratio)}`);
  }
  if (recheck) {
    const p95 = (t: Tally) => quantile([...t.times].sort((a, b) => a - b), 0.95);
    const row = (name: string, t: Tally) => [name, median(t.times), p95(t), (1000 / median(t.times)).toFixed(1), String(t.merges), median(t.unmerged)];
    console.log(`\nInterleaved re-check (batches of ${WARMUP} alternating between the two databases, same noise for both)\n`);
    printTable(['database', 'median ms', 'p95 ms', 'articles/s', 'merges', 'median ms, no merge'], [row('10k (fresh)', recheck.small), row(top, recheck.big)]);
    const ratio = median(recheck.big.times) / median(recheck.small.times);
    console.log(`\ninterleaved ${top}/10k median ratio: ${verdict(ratio)}`);
  }
  if (!last) return;
  // Where the time goes: mean ms per assignment by statement (means, so the rows add up).
  const perAssign = (m: Measurement, ms: number) => ms / m.tally.times.length;
  const costly = [...last.queries].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([sql]) => sql);
  const sqlTotal = (m: Measurement) => [...m.queries.values()].reduce((a, b) => a + b, 0);
  const total = (m: Measurement) => m.tally.times.reduce((a, b) => a + b, 0);
  console.log('\nMean ms per assignment by statement (the 10 costliest at the largest size)\n');
  printTable(
    ['statement', ...sizes.map(sizeLabel)],
    [
      ...costly.map((sql) => [sql, ...results.map((m) => perAssign(m, m.queries.get(sql) ?? 0))]),
      ['all SQL round trips', ...results.map((m) => perAssign(m, sqlTotal(m)))],
      ['the rest (TypeScript scoring, pool, event loop)', ...results.map((m) => perAssign(m, total(m) - sqlTotal(m)))],
      ['mean assignment', ...results.map((m) => perAssign(m, total(m)))],
    ],
  );
}

const verdict = (ratio: number) => `${ratio.toFixed(2)}× — ${ratio <= 2 ? 'meets' : 'does NOT meet'} the ≤ 2× requirement`;
const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
