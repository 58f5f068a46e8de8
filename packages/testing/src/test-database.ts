import { inject } from 'vitest';
import { scratchDatabase, type ScratchDatabase } from './scratch-database.js';

export type TestDatabase = ScratchDatabase;

/** A fresh, migrated database of its own, so test files can run in parallel without seeing each other's rows. */
export function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  return scratchDatabase(inject('databaseUrl'), { prefix: `newsfold_test_${process.pid}`, ...options });
}
