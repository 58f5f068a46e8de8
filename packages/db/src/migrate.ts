import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { NewsfoldError } from '@newsfold/errors';
import { connectWithRetry } from './connect-retry.js';

/** infra/migrations, found from both src/ (tsx, tests) and dist/ (the image): both sit three levels below the repo root. */
export const MIGRATIONS_DIR = new URL('../../../infra/migrations/', import.meta.url);

// Any constant works; it only has to be the same for every newsfold process sharing a database.
const MIGRATION_LOCK_KEY = 7_310_432_118;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(new URL(file, dir), 'utf8');
    const [version = file, ...rest] = file.replace(/\.sql$/, '').split('_');
    migrations.push({ version, name: rest.join('_'), sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  const versions = new Set<string>();
  for (const m of migrations) {
    if (versions.has(m.version)) throw new NewsfoldError('migration_conflict', `two migrations share version ${m.version}`);
    versions.add(m.version);
  }
  return migrations;
}

/**
 * Applies pending migrations, one transaction per file, under an advisory lock so that replicas
 * starting together apply each file exactly once. Forward-only: an applied file whose text has
 * changed is an error, because the database no longer matches what the file says.
 */
export async function migrate(databaseUrl: string, options: { dir?: URL } = {}): Promise<string[]> {
  const migrations = await readMigrations(options.dir);
  const client = await connectWithRetry({ connectionString: databaseUrl, application_name: 'newsfold-migrate' });
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = applied.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new NewsfoldError('migration_changed', `migration ${m.version}_${m.name} was edited after it was applied; add a new migration instead`, { permanent: true });
        }
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new NewsfoldError('migration_failed', `migration ${m.version}_${m.name} failed: ${(error as Error).message}`, { cause: error, permanent: true });
      }
      done.push(`${m.version}_${m.name}`);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Creates the database named in the URL when it does not exist and the role may create it.
 * Returns true when it created one. Connects to the server's `postgres` database to do so.
 */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return false;
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const client = await connectWithRetry({ connectionString: adminUrl.toString(), application_name: 'newsfold-migrate' });
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      // Another replica created it between our check and our CREATE.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}
