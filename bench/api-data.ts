import { upsertTopic, type Pool, type PoolClient } from '@newsfold/db';
import { recomputeTopic } from '@newsfold/stories';
import { prepareLoader } from './scale-data.js';

/** The data `pnpm bench api` serves: outlets, feeds with tags, stories, their articles, topic `world`. */

/** Outlets in the data set, one feed each. */
export const OUTLETS = 200;

const log = (message: string) => process.stderr.write(`${message}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** Headline and summary words: plain lower-case English, so full-text search sees real tokens. */
const WORDS = `government minister talks ceasefire election court ruling market shares bank rates inflation storm
flood wildfire rescue police arrest protest strike union workers hospital vaccine study researchers climate summit
leaders trade tariffs deal border security military drone attack troops embassy sanctions oil prices energy grid
outage airline airport train rail strike school teachers university students budget tax reform parliament vote
senate congress president prime opposition party coalition campaign poll scandal investigation report data
technology startup chip factory jobs growth recession exports imports harbour bridge city council mayor housing
rents water drought harvest farmers food prices museum festival film music football cup final coach player record
season injury transfer satellite launch space agency telescope discovery ocean whales forest species heatwave
earthquake tremor volcano evacuation village mountain river coast island capital region province state federal
agency watchdog fine privacy platform social media network outage cyber hackers breach ransomware software update
phone maker battery electric cars charging factory steel coal gas pipeline nuclear plant reactor solar wind farm
turbines offshore licence auction investors fund pension retirement health care doctors nurses patients waiting
lists emergency services ambulance fire crews`.split(/\s+/);

const FEED_TAGS = ['{business,world}', '{world}', '{tech}', '{science,world}', '{sport}'];

async function fillDatabase(client: PoolClient, stories: number): Promise<void> {
  const timed = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${seconds(started)} s`);
  };
  await prepareLoader(client);
  // Ids are set explicitly: outlet n publishes feed n; articles are numbered in story order.
  await timed(
    'outlets',
    `INSERT INTO outlets (id, site_key, name, site_url) OVERRIDING SYSTEM VALUE
     SELECT g, 'outlet' || g || '.bench.invalid', 'Outlet ' || g || ' News', 'https://outlet' || g || '.bench.invalid/'
     FROM generate_series(1, $1::int) g`,
    [OUTLETS],
  );
  await timed(
    'feeds',
    `INSERT INTO feeds (id, url, outlet_id, title, site_url, tags) OVERRIDING SYSTEM VALUE
     SELECT g, 'https://outlet' || g || '.bench.invalid/feed.xml', g, 'Outlet ' || g || ' News', 'https://outlet' || g || '.bench.invalid/',
            ($2::text[])[1 + g % cardinality($2::text[])]::text[]
     FROM generate_series(1, $1::int) g`,
    [OUTLETS, FEED_TAGS],
  );
  // Story sizes 1 + floor(Exp(mean 2)), capped at 10: ≈ 2.5 articles a story. Stories start over the
  // last 30 days; each article comes within 6 hours of its story's first.
  await timed(
    'stories (staging)',
    `CREATE TEMP TABLE bench_story AS
     SELECT g AS id, least(10, 1 + floor(-ln(1 - random()) * 2))::int AS size,
            date_trunc('milliseconds', now() - interval '7 hours' - random() * interval '30 days') AS start_at
     FROM generate_series(1, $1::int) g`,
    [stories],
  );
  // `+ 0 * s.id` correlates the ARRAY subqueries, so words are drawn per row, not once.
  await timed(
    'articles (staging)',
    `CREATE TEMP TABLE bench_article AS
     SELECT id, story_id, nth, feed_id, event_at, title,
            'https://outlet' || feed_id || '.bench.invalid/news/' || id || '-' || left(replace(lower(title), ' ', '-'), 60) AS url,
            summary
     FROM (
       SELECT row_number() OVER (ORDER BY s.id, i) AS id, s.id AS story_id, i AS nth,
              1 + floor(random() * $1::int)::int AS feed_id,
              CASE WHEN i = 1 THEN s.start_at ELSE date_trunc('milliseconds', s.start_at + random() * interval '6 hours') END AS event_at,
              initcap(array_to_string(ARRAY(SELECT ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]
                                            FROM generate_series(1, 7 + (s.id % 5)::int + 0 * i)), ' ')) AS title,
              array_to_string(ARRAY(SELECT ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int]
                                    FROM generate_series(1, 30 + 0 * i + 0 * s.id)), ' ') || '.' AS summary
       FROM bench_story s CROSS JOIN LATERAL generate_series(1, s.size) i) a`,
    [OUTLETS, WORDS],
  );
  // Derived fields as refreshStories computes them (lead = earliest article; updated_at = when
  // the last outlet joined; source_count = distinct outlets).
  await timed(
    'stories',
    `INSERT INTO stories (id, title, summary, lead_article_id, first_seen_at, updated_at, source_count, article_count,
                          last_event_at, revised_at, created_at) OVERRIDING SYSTEM VALUE
     SELECT agg.story_id, lead.title, left(lead.summary, 600), lead.id, agg.first_seen, joined.updated, agg.outlets, agg.articles,
            agg.last_at, joined.updated, agg.first_seen
     FROM (SELECT story_id, min(event_at) AS first_seen, max(event_at) AS last_at, count(*)::int AS articles,
                  count(DISTINCT feed_id)::int AS outlets
           FROM bench_article GROUP BY story_id) agg
     JOIN (SELECT story_id, max(joined_at) AS updated
           FROM (SELECT story_id, feed_id, min(event_at) AS joined_at FROM bench_article GROUP BY story_id, feed_id) o
           GROUP BY story_id) joined USING (story_id)
     JOIN (SELECT DISTINCT ON (story_id) story_id, id, title, summary FROM bench_article ORDER BY story_id, event_at, id) lead USING (story_id)
     ORDER BY agg.story_id`,
  );
  await timed(
    'articles',
    `INSERT INTO articles (id, feed_id, outlet_id, guid, url, title, title_key, summary, published_at, first_seen_at, content_hash,
                           story_id, match_score, match_reason, language) OVERRIDING SYSTEM VALUE
     SELECT id, feed_id, feed_id, 'urn:bench:' || id, url, title, lower(title), summary, event_at, event_at, md5(title || summary),
            story_id, CASE WHEN nth = 1 THEN 1 ELSE 0.8 END, CASE WHEN nth = 1 THEN 'new story' ELSE 'similar title' END, 'en'
     FROM bench_article ORDER BY id`,
  );
  await timed('article carriers', 'INSERT INTO article_feeds (article_id, feed_id) SELECT id, feed_id FROM articles ORDER BY id');
  for (const table of ['outlets', 'feeds', 'stories', 'articles']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  await client.query('DROP TABLE bench_story, bench_article');
  await client.query('RESET session_replication_role');
}

export async function prepareData(pool: Pool, stories: number): Promise<{ stories: number; articles: number; world: number }> {
  const started = performance.now();
  log(`filling ${stories.toLocaleString('en')} stories…`);
  const client = await pool.connect();
  try {
    await fillDatabase(client, stories);
  } finally {
    client.release();
  }
  // The topic, and its membership computed the way the API's background recompute does it.
  await upsertTopic(pool, { slug: 'world', title: 'World news', description: 'Stories from feeds tagged world', tags: ['world'] });
  const recomputing = performance.now();
  if (!(await recomputeTopic(pool, 'world'))) throw new Error('topic world vanished');
  log(`  topic world membership: ${seconds(recomputing)} s`);
  const vacuuming = performance.now();
  await pool.query('VACUUM (ANALYZE) outlets, feeds, articles, article_feeds, stories, topics, topic_stories');
  await pool.query('CHECKPOINT');
  log(`  vacuum analyze + checkpoint: ${seconds(vacuuming)} s`);
  const { rows } = await pool.query<{ stories: number; articles: number; world: number }>(
    `SELECT (SELECT count(*)::int FROM stories) AS stories, (SELECT count(*)::int FROM articles) AS articles,
            (SELECT count(*)::int FROM topic_stories WHERE topic = 'world') AS world`,
  );
  const counts = rows[0];
  if (!counts) throw new Error('no counts');
  log(`data ready in ${seconds(started)} s: ${counts.stories} stories, ${counts.articles} articles, ${counts.world} in topic world`);
  return counts;
}
