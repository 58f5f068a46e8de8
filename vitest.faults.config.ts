import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`pnpm test:faults`), apart from `pnpm test`: it starts its own Postgres and
 * Redis per scenario and takes minutes, where the unit and end-to-end tests take seconds each.
 */
export default defineConfig({
  resolve: { conditions: ['newsfold-source'] },
  ssr: { resolve: { conditions: ['newsfold-source'] } },
  test: {
    include: ['test/faults/fault-suite.test.ts'],
    // Scenarios run side by side from beforeAll; each test waits for its own, the last for minutes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
