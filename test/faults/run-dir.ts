import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPostgresCluster } from './postgres-cluster.js';
import { runCommand } from './service-process.js';
import { serviceEnv } from './service-env.js';

/**
 * The directory of one run of the suite, readable by others: as root, each Postgres runs as the
 * `postgres` user in a directory below it.
 */
export async function createRunDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-faults-'));
  await chmod(dir, 0o755);
  return dir;
}

export interface DatabaseTemplate {
  /** A stopped cluster's data directory, with the `newsfold` database migrated. */
  dataDir: string;
  destroy(): Promise<void>;
}

/**
 * One cluster initialised and migrated (`newsfold migrate`, as compose runs it before the
 * services) for the whole run; every scenario starts from a copy. Starting the CLI costs seconds
 * of CPU on this machine, and a dozen scenarios each migrating an empty database would add
 * nothing but that.
 */
export async function prepareDatabaseTemplate(runDir: string): Promise<DatabaseTemplate> {
  const dir = path.join(runDir, 'template');
  await mkdir(dir, { recursive: true });
  const cluster = await startPostgresCluster(dir);
  try {
    // migrate never uses Redis: nothing listens on that port, and nothing is asked of it.
    const env = serviceEnv({ databaseUrl: cluster.url('newsfold'), redisUrl: 'redis://127.0.0.1:1', apiPort: 0 });
    await runCommand(['migrate'], env, dir, 'migrate');
    await cluster.stop();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return {
    dataDir: cluster.dataDir,
    destroy: async () => {
      await cluster.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
