import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { migrate } from './migrate.js';
import { migrateBefore, migrationsFrom } from './testdata/migrate-before.js';

/** Upgrading a database that has editors' corrections: migration 011 marks the stories they made. */
describe('migration 011 on an existing database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it("marks as edited the stories of a split (both parts) and of a merge, and no other", async () => {
    await migrateBefore(db.url, 11);
    const { rows: made } = await db.pool.query<{ id: string }>(
      `INSERT INTO stories (title, first_seen_at, updated_at) SELECT 'story ' || n, now(), now() FROM generate_series(1, 4) n RETURNING id::text`,
    );
    const [split, part, merged, plain] = made.map((r) => r.id);
    await db.pool.query('INSERT INTO story_separations (story_a, story_b) VALUES ($1, $2)', [split, part]);
    const { rows: feed } = await db.pool.query<{ id: string; outlet: string }>(
      `WITH o AS (INSERT INTO outlets (site_key, name) VALUES ('o.example', 'O') RETURNING id)
       INSERT INTO feeds (url, outlet_id) SELECT 'https://o.example/feed.xml', id FROM o RETURNING id::text, outlet_id::text AS outlet`,
    );
    await db.pool.query(
      `INSERT INTO articles (feed_id, outlet_id, guid, title, title_key, content_hash, story_id, match_reason) VALUES
         ($1, $2, 'a', 'A', 'a', 'h1', $3, 'manual-merge'),
         ($1, $2, 'b', 'B', 'b', 'h2', $4, 'similar: 0.41')`,
      [feed[0]?.id, feed[0]?.outlet, merged, plain],
    );

    // 011, then the migrations after it.
    const applied = await migrate(db.url);
    expect(applied[0]).toBe('011_story_edited');
    expect(applied).toEqual(await migrationsFrom(11));
    const { rows } = await db.pool.query<{ id: string; edited: boolean }>('SELECT id::text, edited FROM stories ORDER BY id');
    expect(Object.fromEntries(rows.map((r) => [r.id, r.edited]))).toEqual({ [split as string]: true, [part as string]: true, [merged as string]: true, [plain as string]: false });
  });
});
