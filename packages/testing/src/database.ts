// The database helpers that do not need vitest, for benchmarks (`@newsfold/testing/database`).
export { scratchDatabase, type ScratchDatabase } from './scratch-database.js';
export { resetClustering } from './reset-clustering.js';
