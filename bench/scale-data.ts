import { tokenize } from '@newsfold/clustering';
import type { Pool, PoolClient, Queryable } from '@newsfold/db';

/**
 * Synthetic data for `pnpm bench cluster --scale`, written set-based (generate_series,
 * INSERT … SELECT) so a million articles take minutes, not hours.
 *
 * Shape: a vocabulary of VOCAB pseudo-words with a Zipf–Mandelbrot frequency P(k) ∝ 1/(k + 100).
 * English word frequencies follow 1/rank, but tokenize drops the stop words that make up the head
 * of that curve, so the commonest term left is in ~1–2% of headlines (a pure 1/k from rank 1 puts
 * one term in a third of all headlines and half of all stories). Stories of 1–10 articles (mean
 * ≈ 3), each with STORY_TERMS words and STORY_NAMES names; each article a headline of 7 words
 * drawn from its story's words and names plus 2 random ones (≈ 8 distinct terms, no signature: 9
 * words are too few shingles); one outlet and feed per ~200 articles; events spread over the last
 * 71 hours (the window is 72).
 *
 * Names: a story of real news names its own people and places, which no vocabulary of common
 * words holds however large the window grows. Without them every story is drawn from the same
 * 50,000 words, and the more stories a window holds the more of them look alike by chance: each
 * new article folded 0.04 stories into another at 10k articles in the window, 0.23 at 100k and
 * 0.64 at 1M (the 999 real UCI headlines of one crowded day: 0.09), and the benchmark measured
 * that drift more than the window's size. Names are drawn uniformly from NAMES four-syllable words.
 */
export const VOCAB = 50_000;
export const STORY_TERMS = 12;
export const STORY_NAMES = 2;
/** Four syllables of SYLLABLES. */
const NAMES = 60 ** 4;
/** Ranks cut off the head of the Zipf curve (the stop words). */
export const ZIPF_OFFSET = 100;
const CONSONANTS = 'bdfgklmnptvz'; // no "r": "more" and "before" are stop words
const VOWELS = 'aeiou';
const SYLLABLES = CONSONANTS.length * VOWELS.length; // 60

const syllable = (x: number) => `${CONSONANTS[Math.floor(x / VOWELS.length)]}${VOWELS[x % VOWELS.length]}`;

/** The k-th word (1-based): two or three consonant-vowel syllables, frequent words shorter. */
export function term(k: number): string {
  const n = k + 64;
  const high = Math.floor(n / SYLLABLES ** 2);
  return (high > 0 ? syllable(high % SYLLABLES) : '') + syllable(Math.floor(n / SYLLABLES) % SYLLABLES) + syllable(n % SYLLABLES);
}

/** A word drawn with probability ∝ 1/(k + ZIPF_OFFSET): a log-uniform rank in [offset, V + offset), shifted to 1. */
export function zipfTerm(): string {
  const rank = Math.exp(Math.log(ZIPF_OFFSET) + Math.random() * (Math.log(VOCAB + ZIPF_OFFSET) - Math.log(ZIPF_OFFSET)));
  return term(Math.min(VOCAB, Math.floor(rank) - ZIPF_OFFSET + 1));
}

/** The k-th name (0-based, below NAMES), as bench_name() draws them. */
export function name(k: number): string {
  return [0, 1, 2, 3].map((i) => syllable(Math.floor(k / SYLLABLES ** i) % SYLLABLES)).join('');
}

/** Every vocabulary word (and a spread of the names) must survive tokenisation unchanged, or synthetic features would not match what the code computes. */
export function checkVocabulary(): void {
  const check = (t: string, what: string) => {
    const words = tokenize(t, 'en').words;
    if (words.length !== 1 || words[0] !== t) throw new Error(`${what} "${t}" tokenises as [${words.join(', ')}]`);
  };
  for (let k = 1; k <= VOCAB; k++) check(term(k), `vocabulary word ${k}`);
  for (let k = 0; k < NAMES; k += 997) check(name(k), `name ${k}`);
}

/** The same two functions in SQL (inlined by the planner, so cheap per row). */
const HELPERS = `
CREATE OR REPLACE FUNCTION bench_syllable(x int) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT substr('${CONSONANTS}', x / ${VOWELS.length} + 1, 1) || substr('${VOWELS}', x % ${VOWELS.length} + 1, 1) $$;
CREATE OR REPLACE FUNCTION bench_term(k int) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN (k + 64) / ${SYLLABLES ** 2} > 0 THEN bench_syllable(((k + 64) / ${SYLLABLES ** 2}) % ${SYLLABLES}) ELSE '' END
            || bench_syllable(((k + 64) / ${SYLLABLES}) % ${SYLLABLES}) || bench_syllable((k + 64) % ${SYLLABLES}) $$;
CREATE OR REPLACE FUNCTION bench_name() RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT bench_syllable(floor(random() * ${SYLLABLES})::int) || bench_syllable(floor(random() * ${SYLLABLES})::int)
            || bench_syllable(floor(random() * ${SYLLABLES})::int) || bench_syllable(floor(random() * ${SYLLABLES})::int) $$;
CREATE OR REPLACE FUNCTION bench_zipf() RETURNS int LANGUAGE sql VOLATILE AS
  $$ SELECT least(${VOCAB}, floor(exp(ln(${ZIPF_OFFSET}) + random() * (ln(${VOCAB + ZIPF_OFFSET}) - ln(${ZIPF_OFFSET}))))::int - ${ZIPF_OFFSET - 1}) $$;`;

export async function installHelpers(db: Queryable): Promise<void> {
  await db.query(HELPERS);
}

/** Session settings for the bulk load: big sorts in memory, no commit flush, no FK triggers (rows are consistent by construction). */
export async function prepareLoader(client: PoolClient): Promise<void> {
  await client.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SET temp_buffers = '512MB';
    SET synchronous_commit = off; SET session_replication_role = replica`);
}

type Log = (message: string) => void;

/** Adds `count` articles (in new stories, outlets and feeds) to the database, logging each phase's time. */
export async function addArticles(client: PoolClient, count: number, log: Log): Promise<void> {
  const timed = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  const feeds = Math.max(1, Math.round(count / 200));
  const { rows } = await client.query<{ story: string; article: string; feed: string }>(
    `SELECT (SELECT coalesce(max(id), 0) FROM stories)::text AS story, (SELECT coalesce(max(id), 0) FROM articles)::text AS article,
            greatest((SELECT coalesce(max(id), 0) FROM outlets), (SELECT coalesce(max(id), 0) FROM feeds))::text AS feed`,
  );
  const base = rows[0];
  if (!base) throw new Error('no id bases');
  await client.query('DROP TABLE IF EXISTS step_story, step_article, step_story_term');
  // Outlet n and feed n share an id, so an article's outlet is its feed's id.
  await timed(
    'outlets',
    `INSERT INTO outlets (id, site_key, name) OVERRIDING SYSTEM VALUE
     SELECT $1::bigint + g, 'o' || ($1::bigint + g) || '.bench.invalid', 'Outlet ' || ($1::bigint + g) FROM generate_series(1, $2::int) g`,
    [base.feed, feeds],
  );
  await timed(
    'feeds',
    `INSERT INTO feeds (id, url, outlet_id, title) OVERRIDING SYSTEM VALUE
     SELECT $1::bigint + g, 'https://o' || ($1::bigint + g) || '.bench.invalid/feed', $1::bigint + g, 'Feed ' || ($1::bigint + g)
     FROM generate_series(1, $2::int) g`,
    [base.feed, feeds],
  );
  // Story sizes 1 + floor(Exp(mean 2.5)), capped at 10 (mean ≈ 3); cut where the article count is reached.
  // `+ 0 * seq` correlates the ARRAY subqueries so they are drawn per row, not once; OFFSET 0 keeps
  // the draw in its own column, so bench_term gets a plain value and is inlined (9× faster than
  // calling it on the volatile bench_zipf() directly).
  await timed(
    'stories (staging)',
    `CREATE TEMP TABLE step_story AS
     WITH sizes AS (
       SELECT g AS seq, least(10, 1 + floor(-ln(1 - random()) * 2.5))::int AS size FROM generate_series(1, $1::int / 2 + 10) g),
     cum AS (SELECT seq, size, sum(size) OVER (ORDER BY seq) - size AS before FROM sizes)
     SELECT $2::bigint + seq AS id, least(size, $1 - before)::int AS size, $3::bigint + before AS article_base,
            now() - interval '71 hours' + random() * interval '70 hours' AS start_at,
            ARRAY(SELECT bench_term(z) FROM (SELECT bench_zipf() AS z FROM generate_series(1, ${STORY_TERMS} + 0 * seq) OFFSET 0) r)
              || ARRAY(SELECT bench_name() FROM generate_series(1, ${STORY_NAMES} + 0 * seq)) AS words
     FROM cum WHERE before < $1`,
    [count, base.story, base.article],
  );
  await timed(
    'articles (staging)',
    `CREATE TEMP TABLE step_article AS
     SELECT id, story_id, feed_id, event_at, words, array_to_string(words, ' ') AS title,
            (SELECT jsonb_object_agg(w, n) FROM (SELECT w, count(*)::int AS n FROM unnest(words) w GROUP BY w) c) AS features
     FROM (
       SELECT s.article_base + i AS id, s.id AS story_id, $1::bigint + 1 + floor(random() * $2::int)::bigint AS feed_id,
              -- Within six hours of its story's start, and before now: clamping to now piled the articles
              -- of the latest stories (3% of all) a minute back, five times the window's usual rate there.
              s.start_at + random() * least(interval '6 hours', now() - interval '1 minute' - s.start_at) AS event_at,
              ARRAY(SELECT s.words[1 + floor(random() * ${STORY_TERMS + STORY_NAMES})::int] FROM generate_series(1, 7 + 0 * i))
                || ARRAY(SELECT bench_term(z) FROM (SELECT bench_zipf() AS z FROM generate_series(1, 2 + 0 * i) OFFSET 0) r) AS words
       FROM step_story s CROSS JOIN LATERAL generate_series(1, s.size) i) a`,
    [base.feed, feeds],
  );
  await timed(
    'articles',
    `INSERT INTO articles (id, feed_id, outlet_id, guid, url, title, title_key, published_at, content_hash, story_id,
                           match_score, match_reason, language, features, signature) OVERRIDING SYSTEM VALUE
     SELECT id, feed_id, feed_id, 'g' || id, 'https://o' || feed_id || '.bench.invalid/a/' || id, title, title, event_at, md5(title),
            story_id, 1, 'bench', 'en', features, NULL
     FROM step_article ORDER BY id`,
  );
  await timed('article carriers', 'INSERT INTO article_feeds (article_id, feed_id) SELECT id, feed_id FROM step_article ORDER BY id');
  // A story's centroid is the sum of its articles' term weights (a weight is a word's count in a
  // headline); at most 14 + 2 × 10 terms, so the top-100 cut never bites.
  await timed(
    'story terms (staging)',
    `CREATE TEMP TABLE step_story_term AS
     SELECT story_id, w AS term, count(*)::int AS weight FROM step_article, unnest(words) w GROUP BY story_id, w`,
  );
  await timed(
    'stories',
    // As the assigner leaves them: with their newest headline keys (synthetic articles have no signature).
    `INSERT INTO stories (id, title, lead_article_id, first_seen_at, updated_at, source_count, article_count, centroid, last_event_at,
                          recent_signatures, recent_title_keys)
     OVERRIDING SYSTEM VALUE
     SELECT a.story_id, a.lead[1], a.lead_id[1], a.first_at, a.last_at, a.outlets, a.articles, c.centroid, a.last_at,
            '{}', to_jsonb(a.newest[1:20])
     FROM (SELECT story_id, min(event_at) AS first_at, max(event_at) AS last_at, count(*)::int AS articles,
                  count(DISTINCT feed_id)::int AS outlets, array_agg(title ORDER BY event_at, id) AS lead, array_agg(id ORDER BY event_at, id) AS lead_id,
                  array_agg(title ORDER BY event_at DESC, id DESC) AS newest
           FROM step_article GROUP BY story_id) a
     JOIN (SELECT story_id, jsonb_object_agg(term, weight) AS centroid FROM step_story_term GROUP BY story_id) c USING (story_id)
     ORDER BY a.story_id`,
  );
  await timed(
    'story_terms',
    `INSERT INTO story_terms (term, story_id, last_at)
     SELECT t.term, t.story_id, s.last_event_at FROM step_story_term t JOIN stories s ON s.id = t.story_id ORDER BY t.story_id, t.term`,
  );
  await timed(
    'term_stats',
    `INSERT INTO term_stats (term, df)
     SELECT w, count(*)::int FROM step_article, LATERAL (SELECT DISTINCT w FROM unnest(words) w) d GROUP BY w
     ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df`,
  );
  for (const table of ['outlets', 'feeds', 'stories', 'articles']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  await client.query('DROP TABLE step_story, step_article, step_story_term');
  await timed('vacuum analyze', 'VACUUM (ANALYZE) outlets, feeds, articles, article_feeds, stories, story_terms, term_stats');
  await timed('checkpoint', 'CHECKPOINT');
}

/**
 * Time spent per SQL statement during the timed assignments: every pool client's query() is
 * wrapped (the loader's too, but it is idle while recording). Keyed by the statement's opening.
 */
export function queryProfiler(pool: Pool) {
  let recording: Map<string, number> | null = null;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: typeof query }).query = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await query(...args);
      } finally {
        const sql = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: unknown } | undefined)?.text);
        const key = sql.replace(/\s+/g, ' ').trim().slice(0, 48);
        recording?.set(key, (recording.get(key) ?? 0) + performance.now() - started);
      }
    };
  });
  return {
    start: () => (recording = new Map()),
    stop: () => {
      const done = recording ?? new Map<string, number>();
      recording = null;
      return done;
    },
  };
}
