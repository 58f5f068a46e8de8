import { scratchDatabase as create, type ScratchDatabase } from '@newsfold/testing/database';

/** A throwaway database on the server of TEST_DATABASE_URL or DATABASE_URL, dropped afterwards. */
export function scratchDatabase(): Promise<ScratchDatabase> {
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  return create(server, { prefix: 'newsfold_bench' });
}
