import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MIGRATIONS_DIR, migrate } from '../migrate.js';

/** Migrates the database up to, not including, migration `version`: the state an upgrade starts from. */
export async function migrateBefore(databaseUrl: string, version: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'newsfold-migrations-'));
  for (const file of await readdir(MIGRATIONS_DIR)) {
    const number = Number(/^(\d+)_/.exec(file)?.[1]);
    if (number < version) await copyFile(new URL(file, MIGRATIONS_DIR), join(dir, file));
  }
  await migrate(databaseUrl, { dir: pathToFileURL(`${dir}/`) });
}

/** The names migrate() reports for migration `version` and every one after it, in order. */
export async function migrationsFrom(version: number): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((file) => file.endsWith('.sql') && Number(/^(\d+)_/.exec(file)?.[1]) >= version)
    .sort()
    .map((file) => file.replace(/\.sql$/, ''));
}
