import { execFile, execFileSync } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { guardExit } from './exit-guard.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** The machine's PostgreSQL binaries (Debian layout); PG_BIN overrides. */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A Postgres cluster of the test's own, so that it can be restarted and stopped without touching
 * the shared one: trust auth on 127.0.0.1 and a unix socket in its own directory, no fsync.
 */
export interface PostgresCluster {
  port: number;
  /** Data directory and log live under here. */
  dir: string;
  /** The data directory: once the server is stopped, another cluster can start from a copy of it. */
  dataDir: string;
  url(database: string): string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back within a second or so. */
  restartFast(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server, waits `ms`, starts it again. */
  outage(ms: number): Promise<void>;
  /** Stops it at once and deletes its files. */
  destroy(): Promise<void>;
}

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  const bin = path.join(PG_BIN, command);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function pg(command: string, args: string[]): Promise<void> {
  const [file, argv] = asPostgres(command, args);
  await run(file, argv, { timeout: 120_000 });
}

async function postgresIds(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export interface ClusterOptions {
  /** A stopped cluster's data directory to start from (a copy), instead of a new initdb. */
  from?: string;
}

export async function startPostgresCluster(parentDir: string, options: ClusterOptions = {}): Promise<PostgresCluster> {
  const dir = path.join(parentDir, 'pg');
  const data = path.join(dir, 'data');
  await mkdir(dir, { recursive: true });
  const ids = await postgresIds();
  if (ids) {
    // The server runs as `postgres`, which must be able to reach its directory.
    await chmod(parentDir, 0o755);
    await chown(dir, ids.uid, ids.gid);
  }
  const port = await freePort();
  if (options.from) {
    // As root, cp keeps the files the `postgres` user's.
    await run('cp', ['-a', options.from, data]);
  } else {
    await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
  }
  // Appended: a later line wins, so a copy's own port and socket replace the original's.
  await appendFile(
    path.join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      // Speed over durability: a crash of the machine is not a fault this suite injects.
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'shared_buffers = 16MB',
      // 4 normalizers, 2 pollers and the api at up to 20 connections each.
      'max_connections = 200',
      '',
    ].join('\n'),
  );
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', ...args]);
  const unguard = guardExit(() => {
    const [file, argv] = asPostgres('pg_ctl', ['-D', data, 'stop', '-m', 'immediate']);
    execFileSync(file, argv, { stdio: 'ignore' });
  });
  await ctl(['start']);
  return {
    port,
    dir,
    dataDir: data,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restartFast: () => ctl(['restart', '-m', 'fast']),
    stop: () => ctl(['stop', '-m', 'fast']),
    start: () => ctl(['start']),
    outage: async (ms) => {
      await ctl(['stop', '-m', 'fast']);
      await sleep(ms);
      await ctl(['start']);
    },
    destroy: async () => {
      await ctl(['stop', '-m', 'immediate']).catch(() => undefined);
      unguard();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
