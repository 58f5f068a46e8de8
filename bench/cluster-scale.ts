import type { Pool } from '@newsfold/db';
import { StoryEngine } from '@newsfold/stories';
import { checkVocabulary, VOCAB, ZIPF_OFFSET } from './scale-data.js';
import { closeScratch, grow, newArticles, openScratch, type Scratch } from './scale-scratch.js';
import { ownCpuMs, postgresCpuMs } from './cpu-time.js';
import { printTable } from './table.js';
import { median } from './stats.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const SIZES = [10_000, 100_000, 1_000_000];
const BATCH = 1_000;
/** Batches placed per size and per pass: a cold one first (nothing held yet), then warm ones. */
const BATCHES = 4;

const log = (message: string) => process.stderr.write(`${message}\n`);

function parseMax(args: string[]): number {
  const at = args.findIndex((a) => a === '--max' || a.startsWith('--max='));
  if (at < 0) return Infinity;
  const arg = args[at] ?? '';
  const value = Number(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1]);
  if (!Number.isFinite(value) || value < (SIZES[0] ?? 0)) throw new Error(`--max needs a number ≥ ${SIZES[0]}`);
  return value;
}

interface Pass {
  /** Articles/s of each batch, in order (the first cold, the others warm). */
  rates: number[];
  /** Seconds the engine spent loading the window before its first batch. */
  loadSeconds: number;
  /** Placed drawn / random headlines, and how many of each joined an existing story. */
  drawn: [number, number];
  random: [number, number];
  merges: number;
  /** Articles placed, and the seconds writing their postings took once nothing was pending. */
  placed: number;
  postSeconds: number;
  /** CPU ms over the warm batches: this process's, and every postgres process's (null: not readable here). */
  nodeCpuMs: number;
  postgresCpuMs: number | null;
}

/**
 * Places every pending article (`count`) through the production StoryEngine, a batch at a time,
 * then lets it write the postings it left for later (as it does when nothing is pending).
 */
async function placeAll(engine: StoryEngine, pool: Pool, drawn: Set<string>, count: number, hooks: { afterCold: () => void; afterPlacing: () => void }): Promise<Pass> {
  const pass: Pass = { rates: [], loadSeconds: 0, drawn: [0, 0], random: [0, 0], merges: 0, placed: 0, postSeconds: 0, nodeCpuMs: 0, postgresCpuMs: 0 };
  while (pass.placed < count) {
    const cpu = { node: ownCpuMs(), postgres: postgresCpuMs() };
    const batch = await engine.placeBatch();
    if (pass.rates.length > 0) {
      pass.nodeCpuMs += ownCpuMs() - cpu.node;
      const postgres = postgresCpuMs();
      pass.postgresCpuMs = postgres === null || cpu.postgres === null || pass.postgresCpuMs === null ? null : pass.postgresCpuMs + postgres - cpu.postgres;
    }
    if (batch.placed === 0) throw new Error(`${count - pass.placed} articles were not placed`);
    if (pass.rates.length === 0) hooks.afterCold();
    pass.rates.push(batch.placed / batch.seconds);
    pass.loadSeconds += batch.loadSeconds;
    pass.merges += batch.merges;
    pass.placed += batch.placed;
  }
  hooks.afterPlacing();
  for (;;) {
    const idle = await engine.placeBatch();
    if (idle.posted === 0) break;
    pass.postSeconds += idle.seconds;
  }
  const { rows } = await pool.query<{ id: string; joined: boolean }>(
    `SELECT id::text, match_reason <> 'new-story' AS joined FROM articles WHERE guid LIKE 'new-%' AND match_reason IS NOT NULL`,
  );
  for (const r of rows) {
    const kind = drawn.has(r.id) ? pass.drawn : pass.random;
    kind[0] += 1;
    if (r.joined) kind[1] += 1;
  }
  await pool.query(`UPDATE articles SET match_reason = 'bench' WHERE guid LIKE 'new-%'`);
  return pass;
}

interface Measurement {
  articles: number;
  stories: number;
  storyTerms: number;
  pass: Pass;
  /** SQL statement → total ms over the warm batches. */
  queries: Map<string, number>;
  warmBatches: number;
  /** Heap in use after a full collection, with the engine and what it holds alive. */
  heapMb: number;
  held: number;
}

/** Milliseconds per 1,000 articles the engine spent writing, once idle, the postings it left for later. */
const postMs = (pass: Pass) => (pass.postSeconds * 1_000_000) / Math.max(1, pass.placed);

async function measure(s: Scratch, label: string): Promise<Measurement> {
  const pool = s.db.pool;
  log(`placing ${BATCHES} batches of ${BATCH} (the first cold)`);
  const drawn = await newArticles(pool, s.feed, label, BATCH * BATCHES);
  // A fresh engine: the first batch loads what it needs, the next ones find most of it held.
  const engine = new StoryEngine(pool, { windowMs: WINDOW, batchSize: BATCH });
  let queries = new Map<string, number>();
  const pass = await placeAll(engine, pool, drawn, BATCH * BATCHES, { afterCold: () => s.profiler.start(), afterPlacing: () => (queries = s.profiler.stop()) });
  const { rows } = await pool.query<{ articles: number; stories: number; terms: number }>(
    `SELECT (SELECT count(*) FROM articles WHERE event_at >= now() - interval '72 hours')::int AS articles,
            (SELECT count(*) FROM stories WHERE last_event_at >= now() - interval '72 hours')::int AS stories,
            (SELECT count(*) FROM story_terms)::int AS terms`,
  );
  const counts = rows[0] ?? { articles: 0, stories: 0, terms: 0 };
  // `pnpm bench` runs node with --expose-gc: what is held, not what is left to collect.
  (globalThis as { gc?: () => void }).gc?.();
  const heapMb = process.memoryUsage().heapUsed / 1_048_576;
  log(`  cold ${Math.round(pass.rates[0] ?? 0)}/s, warm median ${Math.round(median(pass.rates.slice(1)))}/s, postings written later ${postMs(pass).toFixed(0)} ms per 1,000`);
  return {
    articles: counts.articles,
    stories: counts.stories,
    storyTerms: counts.terms,
    pass,
    queries,
    warmBatches: pass.rates.length - 1,
    heapMb,
    held: engine.heldStories,
  };
}

/**
 * The machine's load drifts over minutes, so sizes measured minutes apart are compared under
 * different noise. This re-check alternates batches between a fresh 10k database and the
 * largest one, so both see the same noise.
 */
async function interleaved(big: Scratch, label: string): Promise<{ small: number[]; big: number[] }> {
  const small = await openScratch();
  try {
    await grow(small, SIZES[0] ?? 10_000);
    log(`interleaving ${BATCHES} batches on a fresh 10k database and the ${label} one`);
    await newArticles(small.db.pool, small.feed, 'small', BATCH * BATCHES);
    await newArticles(big.db.pool, big.feed, 'again', BATCH * BATCHES);
    const engines = [new StoryEngine(small.db.pool, { windowMs: WINDOW, batchSize: BATCH }), new StoryEngine(big.db.pool, { windowMs: WINDOW, batchSize: BATCH })] as const;
    const out = { small: [] as number[], big: [] as number[] };
    for (let i = 0; i < BATCHES; i++) {
      const a = await engines[0].placeBatch();
      const b = await engines[1].placeBatch();
      // The first batch of each is cold: only the warm ones are compared.
      if (i > 0) {
        out.small.push(a.placed / a.seconds);
        out.big.push(b.placed / b.seconds);
      }
    }
    return out;
  } finally {
    await closeScratch(small);
  }
}

/**
 * `pnpm bench cluster --scale [--max N]`: the story assigner alone (StoryEngine, batches of 1,000
 * pending articles) as the window grows from 10k to 100k to 1M articles (synthetic, see
 * scale-data.ts). One scratch database grows in steps; at each size 4,000 new articles are stored
 * pending and placed by a fresh engine: its first batch cold, the next three warm.
 */
export async function clusterScale(args: string[]): Promise<void> {
  const max = parseMax(args);
  const sizes = SIZES.filter((n) => n <= max);
  checkVocabulary();
  const results: Measurement[] = [];
  const fills: number[] = [];
  let recheck: { small: number[]; big: number[] } | null = null;
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

  const warm = (m: Measurement) => median(m.pass.rates.slice(1));
  const base = warm(results[0] as Measurement);
  const pct = ([n, joined]: [number, number]) => `${n === 0 ? 0 : Math.round((100 * joined) / n)}%`;
  console.log(
    `\nStory assigner at scale (synthetic: ${VOCAB.toLocaleString('en')}-word vocabulary, P(k) ∝ 1/(k + ${ZIPF_OFFSET}), stories of 1–10 articles, 72 h window; ` +
      `${BATCHES} batches of ${BATCH} per size, the first cold)\n`,
  );
  printTable(
    [
      'articles in window',
      'stories',
      'story_terms rows',
      'fill s',
      'window load s',
      'cold batch articles/s',
      'warm articles/s (median)',
      'ms per article (warm)',
      '× 10k cost',
      'postings later, ms per 1,000',
      'warm articles/s with them',
      'joined (drawn / random)',
      'merges per article',
      'stories held',
      'heap MB (after GC)',
    ],
    results.map((m, i) => [
      m.articles,
      m.stories,
      m.storyTerms,
      (fills[i] ?? 0).toFixed(0),
      m.pass.loadSeconds.toFixed(2),
      Math.round(m.pass.rates[0] ?? 0),
      Math.round(warm(m)),
      1000 / warm(m),
      base / warm(m),
      Math.round(postMs(m.pass)),
      Math.round(1000 / (1000 / warm(m) + postMs(m.pass) / 1000)),
      `${pct(m.pass.drawn)} / ${pct(m.pass.random)}`,
      (m.pass.merges / m.pass.placed).toFixed(2),
      m.held,
      Math.round(m.heapMb),
    ]),
  );
  console.log(
    `\nmerges: stories folded in by the new articles. The fill writes stories without clustering them, so pairs similar enough to\n` +
      `merge (which production would have merged as they formed) are left for the new articles to bridge: merges overstate the steady state.\n` +
      `postings later: the engine notes what it placed and writes those articles' postings and document counts once nothing is pending\n` +
      `(or past 20,000 such articles); "with them" is the warm rate were that done with every batch.`,
  );
  if (recheck) {
    const top = sizeLabel(sizes.at(-1) ?? 0);
    console.log(`\nInterleaved re-check (warm batches alternating between the two databases, same noise for both)\n`);
    printTable(
      ['database', 'warm articles/s (median)'],
      [
        ['10k (fresh)', Math.round(median(recheck.small))],
        [top, Math.round(median(recheck.big))],
      ],
    );
    const ratio = median(recheck.small) / median(recheck.big);
    console.log(`\ninterleaved ${top}/10k cost per article: ${ratio.toFixed(2)}× — ${ratio <= 1.5 ? 'meets' : 'does NOT meet'} the ≤ 1.5× target`);
  }
  const last = results.at(-1);
  if (!last) return;
  // Where the time goes: mean ms per batch by statement (means, so the rows add up).
  const perBatch = (m: Measurement, ms: number) => ms / m.warmBatches;
  const costly = [...last.queries].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([sql]) => sql);
  const sqlTotal = (m: Measurement) => [...m.queries.values()].reduce((a, b) => a + b, 0);
  const total = (m: Measurement) => m.pass.rates.slice(1).reduce((sum, rate) => sum + (BATCH / rate) * 1000, 0);
  console.log('\nMean ms per warm batch by statement (the 10 costliest at the largest size)\n');
  printTable(
    ['statement', ...sizes.map(sizeLabel)],
    [
      ...costly.map((sql) => [sql, ...results.map((m) => perBatch(m, m.queries.get(sql) ?? 0))]),
      ['all SQL round trips', ...results.map((m) => perBatch(m, sqlTotal(m)))],
      ['the rest (deciding in memory, pool, event loop)', ...results.map((m) => perBatch(m, total(m) - sqlTotal(m)))],
      ['mean batch', ...results.map((m) => perBatch(m, total(m)))],
      ['CPU: this process (every thread)', ...results.map((m) => perBatch(m, m.pass.nodeCpuMs))],
      ['CPU: Postgres (every postgres process)', ...results.map((m) => (m.pass.postgresCpuMs === null ? 'n/a' : perBatch(m, m.pass.postgresCpuMs)))],
    ],
  );
  console.log(
    `
A round trip counts from sending a statement to handling its answer, which waits while this process places the next slice:
` +
      `when this process's CPU comes close to the mean batch, the assigner is bound by it, not by Postgres.`,
  );
}

const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
