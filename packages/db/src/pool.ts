import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// int8 ids stay strings (they can exceed 2^53); counts are cast to int in SQL where a number is wanted.
export function createPool(databaseUrl: string, options: { max?: number; applicationName?: string } = {}): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'newsfold',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
}

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
    await client.query('BEGIN');
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
