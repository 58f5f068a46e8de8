import { settleStories, StoryEngine, type SettleMemoryHolder, type SettleReport } from '@newsfold/stories';
import { checkVocabulary } from './scale-data.js';
import { closeScratch, grow, newArticles, openScratch } from './scale-scratch.js';
import { printTable } from './table.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const DAY = 24 * HOUR;
const SIZES = [10_000, 100_000];
const NEW = 1_000;

const log = (message: string) => process.stderr.write(`${message}\n`);

interface Row {
  size: string;
  pass: string;
  report: SettleReport;
}

/**
 * `pnpm bench settle [--max N]`: the settle pass with 10k and 100k synthetic articles in the window
 * (scale-data.ts: spread over 72 hours, so a day's span holds about a third). At each size: a full
 * pass over the whole window (the first after the fill, which wrote stories without clustering
 * them, so it moves many articles), the pass again with nothing new, then the production pass
 * (the last 24 hours) as the assigner runs it: the hour's first, from scratch; after 1,000 new
 * articles placed by the assigner (spread over the last half hour), the next, resuming from where
 * the first stood; the same from scratch, which must then move nothing; and after 1,000 more, all
 * newer than every article before, the next, resuming from where the previous stood 5 minutes back.
 */
export async function settleScale(args: string[]): Promise<void> {
  const at = args.indexOf('--max');
  const max = at >= 0 ? Number(args[at + 1]) : Infinity;
  checkVocabulary();
  const rows: Row[] = [];
  const s = await openScratch();
  try {
    for (const size of SIZES.filter((n) => n <= max)) {
      await grow(s, size);
      const label = `${size / 1000}k`;
      const pass = async (name: string, spanMs: number, memory?: SettleMemoryHolder) => {
        log(`${label}: ${name}`);
        const report = await settleStories(s.db.pool, { windowMs: WINDOW, spanMs, ...(memory ? { memory } : {}) });
        rows.push({ size: label, pass: name, report });
        log(`  ${report.seconds.toFixed(1)} s, ${report.articles} articles, ${report.moved} moved`);
      };
      await pass('full window, first after the fill', WINDOW);
      await pass('full window, nothing new', WINDOW);
      // What the assigner keeps from pass to pass.
      const memory: SettleMemoryHolder = {};
      await pass('last 24 h, first of the hour (from scratch)', DAY, memory);
      await newArticles(s.db.pool, s.feed, `settle-${label}`, NEW);
      const engine = new StoryEngine(s.db.pool, { windowMs: WINDOW });
      while ((await engine.placeBatch()).placed > 0);
      await pass(`last 24 h, ${NEW.toLocaleString('en')} new since the last pass`, DAY, memory);
      // The same from scratch, with the same IDF and stories before the window: what the pass that
      // resumed wrote, it finds as it would have written it (nothing moves).
      await pass('last 24 h, the same from scratch', DAY, { ...(memory.idf ? { idf: memory.idf } : {}), ...(memory.seeds ? { seeds: memory.seeds } : {}) });
      // As most passes find them: new articles all newer than every one before (published in the
      // last minute), so the pass resumes from where the previous one stood five minutes back.
      await newArticles(s.db.pool, s.feed, `settle-${label}-newest`, NEW, 60_000);
      while ((await engine.placeBatch()).placed > 0);
      await pass(`last 24 h, ${NEW.toLocaleString('en')} new, all newer than the rest`, DAY, memory);
    }
  } finally {
    await closeScratch(s);
  }
  console.log(`\nSettle pass (synthetic articles over a 72 h window; a full pass re-groups every article of its span from scratch)\n`);
  printTable(
    ['window', 'pass', 'articles grouped', 'of which decided', 'groups', 'moved', 'new stories', 'folded', 'seconds', 'read / decide / write s'],
    rows.map((r) => [
      r.size,
      r.pass,
      r.report.articles,
      r.report.articles - r.report.resumed,
      r.report.groups,
      String(r.report.moved),
      String(r.report.newStories),
      String(r.report.folded),
      r.report.seconds.toFixed(1),
      [r.report.phases.read, r.report.phases.decide, r.report.phases.write].map((s) => s.toFixed(1)).join(' / '),
    ]),
  );
}
