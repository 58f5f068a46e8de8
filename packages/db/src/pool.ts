import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// int8 ids stay strings (they can exceed 2^53); counts are cast to int in SQL where a number is wanted.
export function createPool(databaseUrl: string, options: { max?: number; applicationName?: string } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'newsfold',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // A Postgres that vanished without closing the connection (its host gone, a network cut) is
    // noticed within a minute or so instead of the operating system's two hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client whose connection drops emits 'error' on the pool, and an 'error' nobody
  // listens to ends the process. The next query on the pool reports the problem; the health
  // monitor, where there is one, says it once.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * How long a transaction may sit idle (its client waiting on something else) before Postgres ends
 * it. A normalizer whose host or network dies while it holds the assignment lock would otherwise
 * hold it, and every other normalizer with it, until the operating system gave up on the
 * connection, hours later. No newsfold transaction waits on anything but Postgres.
 */
const IDLE_IN_TRANSACTION = '60s';

/**
 * Runs fn in a transaction on one client; rolls back on any error.
 *
 * pg emits 'error' on a client whose connection dies (Postgres restarted or failed over, the
 * backend terminated). The pool listens on idle clients only, and an 'error' event nobody listens
 * to ends the process, so while the client is checked out this listens: the transaction fails
 * (its query rejects) and the process stays. A client that broke, or whose ROLLBACK failed, is
 * released with the error, so the pool discards it instead of handing it out again.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query(`BEGIN; SET LOCAL idle_in_transaction_session_timeout = '${IDLE_IN_TRANSACTION}'`);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken ??= rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}
