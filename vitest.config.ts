import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources, so tests never need a build first.
    conditions: ['newsfold-source'],
  },
  ssr: { resolve: { conditions: ['newsfold-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Minutes of real processes and faults: `pnpm test:faults` (vitest.faults.config.ts) runs it.
    exclude: [...configDefaults.exclude, 'test/faults/fault-suite.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['packages/testing/src/global-setup.ts'],
  },
});
