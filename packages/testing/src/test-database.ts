import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool, migrate, type Pool } from '@newsfold/db';

export interface TestDatabase {
  url: string;
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own, so test files can run in parallel without seeing each other's rows. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `newsfold_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  if (options.migrate !== false) await migrate(dbUrl);
  const pool = createPool(dbUrl, { max: 8 });
  // DROP DATABASE … WITH (FORCE) below ends any connection a test left open; an idle client that
  // sees that would otherwise surface as an uncaught 'error' event after the test has passed.
  pool.on('error', () => undefined);
  return {
    url: dbUrl,
    pool,
    drop: async () => {
      await pool.end();
      const admin2 = new pg.Client({ connectionString: serverUrl });
      await admin2.connect();
      try {
        await admin2.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin2.end();
      }
    },
  };
}
