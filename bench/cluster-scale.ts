import { articleFeatures, idfFromCounts, tokenize } from '@newsfold/clustering';
import { candidateStoryIds, termStats, unassignedArticles, upsertArticles, type ArticleInput, type Pool } from '@newsfold/db';
import { assignStory } from '@newsfold/normalizer';
import { titleKey } from '@newsfold/text';
import { addArticles, installHelpers, prepareLoader, term, VOCAB, zipfTerm } from './scale-data.js';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const SIZES = [10_000, 100_000, 1_000_000];
const MEASURED = 300;
const WARMUP = 20;
// The normalizer's retrieval constants (assign-story.ts QUERY_TERMS, STORIES_PER_TERM), for the
// candidate count measured beside the assignment.
const QUERY_TERMS = 8;
const STORIES_PER_TERM = 50;

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

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Every vocabulary word must survive tokenisation unchanged, or synthetic features would not match what the code computes. */
function checkVocabulary(): void {
  for (let k = 1; k <= VOCAB; k++) {
    const t = term(k);
    const words = tokenize(t, 'en').words;
    if (words.length !== 1 || words[0] !== t) throw new Error(`vocabulary word ${k} "${t}" tokenises as [${words.join(', ')}]`);
  }
}

/**
 * New headlines to place: half from existing stories' words (7 of a random story's centroid
 * terms plus 2 random words: these should join), half 9 random words (mostly new stories).
 */
async function newArticles(pool: Pool, feed: { feedId: string; outletId: string }, label: string, count: number): Promise<string[]> {
  const fromStories = Math.floor(count / 2);
  const { rows } = await pool.query<{ centroid: Record<string, number> }>(
    `SELECT centroid FROM stories WHERE id IN (SELECT id FROM stories WHERE last_event_at > now() - interval '72 hours' ORDER BY random() LIMIT $1)`,
    [fromStories],
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
      guid: `new-${label}-${i}`,
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
  return upserted.map((u) => u.id);
}

interface Measurement {
  articles: number;
  stories: number;
  storyTerms: number;
  times: number[];
  joined: number;
  merges: number;
  candidates: number[];
  candidateMs: number[];
}

async function measure(pool: Pool, feed: { feedId: string; outletId: string }, label: string): Promise<Measurement> {
  const ids = await newArticles(pool, feed, label, MEASURED + WARMUP);
  const articles = shuffle(await unassignedArticles(pool, ids));
  const times: number[] = [];
  let joined = 0;
  let merges = 0;
  for (const [i, article] of articles.entries()) {
    const started = performance.now();
    const result = await assignStory(pool, article, { windowMs: WINDOW });
    const elapsed = performance.now() - started;
    if (i < WARMUP) continue;
    times.push(elapsed);
    if (result && result.decision.storyId !== null) joined += 1;
    merges += result?.decision.merges.length ?? 0;
  }
  // Candidate retrieval on its own, after the timed pass (so it cannot warm the cache for it):
  // the same query terms assignStory picks (its 8 highest tf·idf terms), and the stories they bring.
  const candidates: number[] = [];
  const candidateMs: number[] = [];
  for (const article of articles.slice(WARMUP)) {
    const features = article.features ?? {};
    const terms = Object.keys(features);
    const stats = await termStats(pool, terms);
    const idf = idfFromCounts(stats.df, stats.documents);
    const query = terms
      .map((t) => [t, (features[t] ?? 0) * idf(t)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, QUERY_TERMS)
      .map(([t]) => t);
    const started = performance.now();
    const found = await candidateStoryIds(pool, query, new Date(article.eventAt.getTime() - WINDOW), STORIES_PER_TERM);
    candidateMs.push(performance.now() - started);
    candidates.push(found.length);
  }
  const { rows } = await pool.query<{ articles: number; stories: number; terms: number }>(
    `SELECT (SELECT count(*) FROM articles WHERE event_at >= now() - interval '72 hours')::int AS articles,
            (SELECT count(*) FROM stories WHERE last_event_at >= now() - interval '72 hours')::int AS stories,
            (SELECT count(*) FROM story_terms)::int AS terms`,
  );
  const counts = rows[0] ?? { articles: 0, stories: 0, terms: 0 };
  return { articles: counts.articles, stories: counts.stories, storyTerms: counts.terms, times, joined, merges, candidates, candidateMs };
}

/**
 * `pnpm bench cluster --scale [--max N]`: story-assignment throughput as the window grows from
 * 10k to 100k to 1M articles (synthetic, see scale-data.ts). One scratch database grows in steps;
 * at each size ~300 new articles are placed one at a time through the production assignStory.
 */
export async function clusterScale(args: string[]): Promise<void> {
  const max = parseMax(args);
  const sizes = SIZES.filter((s) => s <= max);
  checkVocabulary();
  const db = await scratchDatabase();
  const results: Measurement[] = [];
  const fills: number[] = [];
  try {
    await installHelpers(db.pool);
    const { rows } = await db.pool.query<{ outlet: string; feed: string }>(
      `WITH o AS (INSERT INTO outlets (site_key, name) VALUES ('new.bench.invalid', 'New articles') RETURNING id)
       INSERT INTO feeds (url, outlet_id, title) SELECT 'https://new.bench.invalid/feed', id, 'New articles' FROM o
       RETURNING outlet_id::text AS outlet, id::text AS feed`,
    );
    const feed = { feedId: rows[0]?.feed ?? '', outletId: rows[0]?.outlet ?? '' };
    const loader = await db.pool.connect();
    try {
      await prepareLoader(loader);
      let have = 0;
      for (const size of sizes) {
        const started = performance.now();
        log(`filling ${have.toLocaleString('en')} → ${size.toLocaleString('en')} articles`);
        await addArticles(loader, size - have, log);
        have = size;
        fills.push((performance.now() - started) / 1000);
        log(`filled in ${seconds(started)} s; assigning ${MEASURED} articles (+${WARMUP} warm-up)`);
        const m = await measure(db.pool, feed, String(size));
        log(`  median ${median(m.times).toFixed(2)} ms, ${median(m.candidates)} candidates`);
        results.push(m);
      }
    } finally {
      // The loader session has FK triggers off: never hand it back to the pool.
      loader.release(true);
    }
  } finally {
    await db.drop();
  }

  const base = median(results[0]?.times ?? []);
  console.log(`\nStory assignment at scale (synthetic: ${VOCAB.toLocaleString('en')}-word Zipf vocabulary, stories of 1–10 articles, 72 h window; ${MEASURED} assignments per size after ${WARMUP} warm-up)\n`);
  printTable(
    ['articles in window', 'stories', 'story_terms rows', 'fill s', 'median ms', 'p95 ms', 'articles/s', '× 10k median', 'joined', 'merges', 'candidates (median)', 'candidate query ms'],
    results.map((m, i) => {
      const sorted = [...m.times].sort((a, b) => a - b);
      const med = quantile(sorted, 0.5);
      return [
        m.articles,
        m.stories,
        m.storyTerms,
        (fills[i] ?? 0).toFixed(0),
        med,
        quantile(sorted, 0.95),
        Math.round(1000 / med),
        med / base,
        `${Math.round((100 * m.joined) / m.times.length)}%`,
        String(m.merges),
        median(m.candidates),
        median(m.candidateMs),
      ];
    }),
  );
  const last = results.at(-1);
  if (last && results.length > 1) {
    const ratio = median(last.times) / base;
    const label = `${sizes.at(-1)! >= 1_000_000 ? `${sizes.at(-1)! / 1_000_000}M` : `${sizes.at(-1)! / 1000}k`}/10k`;
    console.log(`\n${label} median ratio: ${ratio.toFixed(2)}× — ${ratio <= 2 ? 'meets' : 'does NOT meet'} the ≤ 2× requirement`);
  }
}
