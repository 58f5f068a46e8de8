import { articleFeatures } from '@newsfold/clustering';
import { upsertArticles, type ArticleInput, type Pool, type PoolClient } from '@newsfold/db';
import { titleKey } from '@newsfold/text';
import { addArticles, installHelpers, prepareLoader, queryProfiler, zipfTerm } from './scale-data.js';
import { scratchDatabase } from './scratch-db.js';

/** A scratch database grown with synthetic articles (scale-data.ts), and new headlines stored pending in it: what the scale benchmarks share. */

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export type Feed = { feedId: string; outletId: string };

/**
 * New headlines stored pending: half drawn from existing stories (7 of a random story's centroid
 * terms plus 2 random words: these should join it), half 9 random words (these should mostly
 * start stories), all from the last `spanMs` (half an hour by default). Returns the ids of the drawn ones.
 */
export async function newArticles(pool: Pool, feed: Feed, label: string, count: number, spanMs = 30 * 60_000): Promise<Set<string>> {
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
      publishedAt: new Date(now - Math.random() * spanMs),
      contentHash: `h-${label}-${i}`,
      language: 'en',
      features: features.terms,
      signature: features.signature,
    });
  }
  const upserted: { id: string; guid: string }[] = [];
  for (let i = 0; i < inputs.length; i += 500) upserted.push(...(await upsertArticles(pool, feed, inputs.slice(i, i + 500))));
  return new Set(upserted.filter((u) => u.guid.includes('-drawn-')).map((u) => u.id));
}

export interface Scratch {
  db: Awaited<ReturnType<typeof scratchDatabase>>;
  profiler: ReturnType<typeof queryProfiler>;
  feed: Feed;
  loader: PoolClient;
  have: number;
}

export async function openScratch(): Promise<Scratch> {
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

export async function closeScratch(s: Scratch): Promise<void> {
  s.loader.release(true); // its session has FK triggers off: never hand it back to the pool
  await s.db.drop();
}

/** Grows the database to `size` synthetic articles; returns the seconds it took. */
export async function grow(s: Scratch, size: number): Promise<number> {
  const started = performance.now();
  log(`filling ${s.have.toLocaleString('en')} → ${size.toLocaleString('en')} articles`);
  await addArticles(s.loader, size - s.have, log);
  // The fill counts its articles' terms in term_stats; the engine's document count follows.
  await s.db.pool.query(`UPDATE story_engine SET documents = (SELECT count(*) FROM articles WHERE story_id IS NOT NULL), revision = revision + 1`);
  s.have = size;
  log(`filled in ${seconds(started)} s`);
  return (performance.now() - started) / 1000;
}

