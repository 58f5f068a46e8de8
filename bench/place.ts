import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { articleFeatures, StoryIndex, type ArticleToIndex } from '@newsfold/clustering';
import { seededRandom } from '@newsfold/testing';
import { checkVocabulary, term, VOCAB } from './scale-data.js';
import { median } from './stats.js';
import { printTable } from './table.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const SIZES = [10_000, 100_000, 1_000_000];
const BATCH = 1_000;
const BATCHES = 5;
/** Words an event is told with, and the others a report adds (headline and lead). */
const EVENT_WORDS = 12;
const HEADLINE = { event: 7, other: 2 };
const LEAD = { event: 15, other: 3 };

/**
 * Reports of events over the last 71 hours, each event told by 1–10 reports (its words drawn from
 * the vocabulary's long tail, the others from anywhere): a headline and a lead long enough to
 * sign, as outlets' feeds give them. Deterministic: the same articles on every run.
 */
export function reports(count: number, firstId: number, random: () => number, from: number, spanMs: number): ArticleToIndex[] {
  const word = (rank: number) => term(Math.min(VOCAB, Math.max(1, rank)));
  const any = () => word(Math.floor(Math.exp(random() * Math.log(VOCAB))));
  const out: ArticleToIndex[] = [];
  while (out.length < count) {
    const event = Array.from({ length: EVENT_WORDS }, () => word(1_000 + Math.floor(random() * (VOCAB - 1_000))));
    const told = (n: { event: number; other: number }) => [
      ...Array.from({ length: n.event }, () => event[Math.floor(random() * EVENT_WORDS)] as string),
      ...Array.from({ length: n.other }, any),
    ];
    const at = from + Math.floor(random() * spanMs);
    const size = 1 + Math.floor(random() * 10);
    for (let i = 0; i < size && out.length < count; i++) {
      const title = told(HEADLINE).join(' ');
      out.push({
        id: String(firstId + out.length),
        features: articleFeatures({ title, summary: told(LEAD).join(' '), language: 'en' }),
        titleKey: title,
        eventAt: new Date(at + i * 60_000),
      });
    }
  }
  return out.sort((a, b) => a.eventAt.getTime() - b.eventAt.getTime());
}

/** A full collection, so that the heap measured holds only what is live. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Row {
  size: number;
  stories: number;
  fromScratchUs: number;
  warmMs: number[];
  cloneMs: number;
  heapMb: number;
}

function measure(size: number): Row {
  const random = seededRandom(size);
  const start = Date.UTC(2026, 0, 1);
  const window = reports(size, 1, random, start, 71 * HOUR);
  let next = 10_000_000;
  const compareAge = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  // As the settle pass builds it: complete, the IDF fixed, every article placed from scratch.
  const index = new StoryIndex({ windowMs: WINDOW, complete: true, idfDrift: 0.05, newStoryId: () => String(next++), compareAge });
  index.count(window);
  let t = performance.now();
  for (const a of window) index.place(a);
  const fromScratchUs = ((performance.now() - t) / size) * 1000;
  // Then batches of newer articles, as the assigner places them (counted a batch at a time).
  const later = reports(BATCH * BATCHES, 5_000_000, random, start + 71 * HOUR, HOUR);
  const warmMs: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const batch = later.slice(b * BATCH, (b + 1) * BATCH);
    index.count(batch);
    t = performance.now();
    for (const a of batch) index.place(a);
    warmMs.push(performance.now() - t);
  }
  t = performance.now();
  const copy = index.clone();
  const cloneMs = performance.now() - t;
  // The index and its copy, as a settle pass holds them.
  collect();
  const heapMb = process.memoryUsage().heapUsed / 1_048_576;
  if (copy.stories.size !== index.stories.size) throw new Error('the copy differs from the index');
  return { size, stories: index.stories.size, fromScratchUs, warmMs, cloneMs, heapMb };
}

/**
 * `pnpm bench place [--max N]`: the placing rule alone, in memory (StoryIndex over decideStory,
 * no database): a window of 10k, 100k (and with --max 1000000, 1M) synthetic reports with
 * headlines and leads placed from scratch, as the settle pass does; then batches of 1,000 newer
 * ones, as the assigner does; and one copy of the index, as the settle pass keeps. CPU only, so
 * it varies less than the benchmarks that share the machine with Postgres.
 */
export async function placeBench(args: string[]): Promise<void> {
  const at = args.indexOf('--max');
  const max = at >= 0 ? Number(args[at + 1]) : 100_000;
  checkVocabulary();
  const rows: Row[] = [];
  for (const size of SIZES.filter((n) => n <= max)) {
    process.stderr.write(`placing ${size.toLocaleString('en')} articles\n`);
    rows.push(measure(size));
  }
  const base = rows[0] ? median(rows[0].warmMs) : NaN;
  console.log(`\nPlacing in memory (synthetic reports with headline and lead, ${EVENT_WORDS} words an event, 72 h window; ${BATCHES} batches of ${BATCH})\n`);
  printTable(
    ['articles in window', 'stories', 'from scratch µs/article', 'warm batch ms (median)', 'warm articles/s', '× 10k cost', 'index copy ms', 'heap MB (index and copy)'],
    rows.map((r) => [
      r.size,
      r.stories,
      Math.round(r.fromScratchUs),
      Math.round(median(r.warmMs)),
      Math.round((BATCH * 1000) / median(r.warmMs)),
      median(r.warmMs) / base,
      Math.round(r.cloneMs),
      Math.round(r.heapMb),
    ]),
  );
}
