import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { createDatabaseIfMissing, migrate, readMigrations } from './migrate.js';
import pg from 'pg';

describe('migrate', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('applies every migration once, even when replicas race', async () => {
    const all = await readMigrations();
    expect(all.length).toBeGreaterThan(0);
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    // Exactly one runner applied the files; the others found nothing pending.
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, all.length]);
    expect(await migrate(db.url)).toEqual([]);
    const { rows } = await db.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r: { version: string }) => r.version)).toEqual(all.map((m) => m.version));
    const topics = await db.pool.query(`SELECT slug FROM topics`);
    expect(topics.rows).toEqual([{ slug: 'all' }]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await db.pool.query(`UPDATE schema_migrations SET checksum = 'x' WHERE version = '001'`);
    await expect(migrate(db.url)).rejects.toMatchObject({ code: 'migration_changed' });
  });
});

describe('createDatabaseIfMissing', () => {
  it('creates a missing database once', async () => {
    const db = await createTestDatabase({ migrate: false });
    const url = new URL(db.url);
    url.pathname = `${url.pathname}_created`;
    try {
      expect(await createDatabaseIfMissing(url.toString())).toBe(true);
      expect(await createDatabaseIfMissing(url.toString())).toBe(false);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.end();
    } finally {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(url.pathname.slice(1))}`);
      await admin.end();
      await db.drop();
    }
  });
});
