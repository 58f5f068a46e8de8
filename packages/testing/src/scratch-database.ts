import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, migrate, type Pool } from '@newsfold/db';

export interface ScratchDatabase {
  url: string;
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own on the server of `serverUrl` (any database there: the new
 * one takes its place in the URL), named `{prefix}_{random}`. For tests (createTestDatabase) and
 * benchmarks; this module does not import vitest.
 */
export async function scratchDatabase(serverUrl: string, options: { prefix: string; migrate?: boolean }): Promise<ScratchDatabase> {
  const name = `${options.prefix}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await run(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  if (options.migrate !== false) await migrate(dbUrl);
  const pool = createPool(dbUrl, { max: 8 });
  // DROP DATABASE … WITH (FORCE) below ends any connection left open; an idle client that sees
  // that would otherwise surface as an uncaught 'error' event (which ends the process).
  pool.on('error', () => undefined);
  return {
    url: dbUrl,
    pool,
    drop: async () => {
      await pool.end();
      await run(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    },
  };
}
