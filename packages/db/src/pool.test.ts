import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { withTransaction } from './pool.js';

/**
 * A connection that dies while a transaction holds it (Postgres restarted, failed over, or the
 * backend terminated) must fail that transaction, not the process: pg emits 'error' on the client,
 * and an 'error' event nobody listens to ends Node.
 */
describe('withTransaction when the connection dies', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function terminateWhenWaiting(marker: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rowCount } = await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE $1`,
        [`%${marker}%`],
      );
      if ((rowCount ?? 0) > 0) return;
      await sleep(20);
    }
    throw new Error('the transaction never reached its query');
  }

  it('rejects the transaction, keeps the process, and the pool serves the next one', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const running = withTransaction(db.pool, async (tx) => {
        await tx.query(`SELECT pg_sleep(10) /* victim-1 */`);
      });
      const outcome = running.then(
        () => 'committed',
        (error: Error) => error.message,
      );
      await terminateWhenWaiting('victim-1');
      expect(await outcome).toMatch(/terminat/i);
      // Give a late 'error' event the chance to surface.
      await sleep(100);
      expect(uncaught).toEqual([]);
      const next = await withTransaction(db.pool, async (tx) => (await tx.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n);
      expect(next).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('does not hand the broken client back to the pool', async () => {
    const running = withTransaction(db.pool, async (tx) => {
      await tx.query(`SELECT pg_sleep(10) /* victim-2 */`);
    }).catch(() => undefined);
    await terminateWhenWaiting('victim-2');
    await running;
    // Every client the pool hands out now answers: none of them is the dead one.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => withTransaction(db.pool, async (tx) => (await tx.query<{ n: number }>('SELECT 2 AS n')).rows[0]?.n)),
    );
    expect(answers).toEqual(Array(8).fill(2));
  });

  it('has Postgres end a transaction left idle for a minute (a client whose host died holding a lock)', async () => {
    const inside = await withTransaction(db.pool, async (tx) => (await tx.query<{ v: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0]?.v);
    expect(inside).toBe('1min');
    // Only inside newsfold's transactions: the session's own setting is untouched.
    const outside = (await db.pool.query<{ v: string }>("SELECT current_setting('idle_in_transaction_session_timeout') AS v")).rows[0]?.v;
    expect(outside).not.toBe('1min');
  });
});
