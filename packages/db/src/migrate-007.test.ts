import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { migrate } from './migrate.js';
import { migrateBefore } from './testdata/migrate-before.js';

/** Upgrading a database that has data: migration 007 (entry_batches) on what 001–006 left. */
describe('migration 007 on an existing database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('makes every feed fetch in full once, so entries a lost job dropped are fetched again', async () => {
    await migrateBefore(db.url, 7);
    await db.pool.query(
      `INSERT INTO feeds (url, etag, last_modified, body_hash, next_fetch_at) VALUES
         ('https://alpha.example/top.xml', '"t1"', 'Fri, 20 Nov 2026 10:00:00 GMT', 'top-body', now() + interval '1 hour'),
         ('https://beta.example/feed.xml', NULL, NULL, NULL, now() + interval '2 hours')`,
    );

    expect(await migrate(db.url)).toEqual(expect.arrayContaining(['007_entry_batches']));
    const feeds = await db.pool.query(
      `SELECT etag, last_modified AS "lastModified", body_hash AS "bodyHash", next_fetch_at > now() + interval '50 minutes' AS "keepsSchedule"
       FROM feeds ORDER BY id`,
    );
    expect(feeds.rows).toEqual([
      { etag: null, lastModified: null, bodyHash: null, keepsSchedule: true },
      { etag: null, lastModified: null, bodyHash: null, keepsSchedule: true },
    ]);
    const batches = await db.pool.query('SELECT count(*)::int AS n FROM entry_batches');
    expect(batches.rows[0]).toEqual({ n: 0 });
  });
});
