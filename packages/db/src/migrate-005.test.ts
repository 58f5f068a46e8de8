import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { migrate } from './migrate.js';
import { migrateBefore } from './testdata/migrate-before.js';

/** Upgrading a database that has data: migration 005 (article_feeds) on what 001–004 left. */
describe('migration 005 on an existing database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('records each article under its own feed, and makes every feed fetch in full once', async () => {
    await migrateBefore(db.url, 5);
    await db.pool.query(`INSERT INTO outlets (site_key, name) VALUES ('alpha.example', 'Alpha')`);
    await db.pool.query(
      `INSERT INTO feeds (url, outlet_id, etag, last_modified, body_hash) VALUES
         ('https://alpha.example/top.xml', 1, '"t1"', 'Fri, 20 Nov 2026 10:00:00 GMT', 'top-body'),
         ('https://alpha.example/world.xml', 1, NULL, NULL, 'world-body')`,
    );
    await db.pool.query(
      `INSERT INTO articles (feed_id, outlet_id, guid, url, title, title_key, content_hash)
       VALUES (1, 1, 'a', 'https://alpha.example/a', 'A', 'a', 'h-a'), (2, 1, 'b', 'https://alpha.example/b', 'B', 'b', 'h-b')`,
    );

    expect(await migrate(db.url)).toEqual(expect.arrayContaining(['005_article_feeds']));
    const carriers = await db.pool.query('SELECT article_id::int AS a, feed_id::int AS f FROM article_feeds ORDER BY 1');
    expect(carriers.rows).toEqual([
      { a: 1, f: 1 },
      { a: 2, f: 2 },
    ]);
    const feeds = await db.pool.query('SELECT etag, last_modified AS "lastModified", body_hash AS "bodyHash" FROM feeds ORDER BY id');
    expect(feeds.rows).toEqual([
      { etag: null, lastModified: null, bodyHash: null },
      { etag: null, lastModified: null, bodyHash: null },
    ]);
  });
});
