import pg from 'pg';
import { withTransaction } from './pool.js';

// Any constant works; it only has to be the same for every newsfold process sharing a database.
const STORY_LOCK = 7_310_432_120;

declare const storyWrite: unique symbol;

/**
 * A transaction holding the story lock, held to its commit: what every write of stories needs
 * (placing articles, merging, splitting, refreshing stories and their topic membership), so that
 * no two of them interleave, and that story revisions are stamped in commit order (see
 * refreshStories). The queries that write stories take one; the only way to get one is
 * withStoriesLocked, which only @newsfold/stories calls (its withStoryWrite).
 */
export type StoryTx = pg.PoolClient & { readonly [storyWrite]: true };

/** Runs fn in a transaction that holds the story lock. For @newsfold/stories only. */
export async function withStoriesLocked<T>(pool: pg.Pool, fn: (tx: StoryTx) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [STORY_LOCK]);
    return fn(tx as StoryTx);
  });
}

// The story assigner's leadership: a session-level lock, held by one process at a time.
const ASSIGNER_LOCK = 7_310_432_121;

/**
 * A connection of its own, outside the pool, that holds the assigner's leadership for as long as
 * it lives: its process dying closes it, and Postgres releases the lock for another to take. It
 * pings every 10 s and has Postgres end it after 30 s of silence, so that a process that vanished
 * without closing its connection (its host gone) gives the role up within about half a minute,
 * not when the operating system gives up on the connection hours later.
 */
export interface LeaderSession {
  /** Tries to take the role; true when this session holds it. */
  tryLead(): Promise<boolean>;
  /** Resolves when the connection is lost (the role with it). */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

export async function openLeaderSession(pool: pg.Pool): Promise<LeaderSession> {
  const client = new pg.Client({ ...pool.options, application_name: 'newsfold-assigner', keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  let fail: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => (fail = resolve));
  client.on('error', (error) => fail(error));
  client.on('end', () => fail(new Error('the assigner session ended')));
  await client.connect();
  await client.query(`SET idle_session_timeout = '30s'`);
  const ping = setInterval(() => void client.query('SELECT 1').catch((error: Error) => fail(error)), 10_000);
  ping.unref();
  void lost.then(() => clearInterval(ping));
  return {
    lost,
    tryLead: async () => (await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [ASSIGNER_LOCK])).rows[0]?.held === true,
    close: async () => {
      clearInterval(ping);
      await client.end().catch(() => undefined);
    },
  };
}
