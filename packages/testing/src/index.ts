export { resolveTestServices, type TestServices } from './services.js';
export { createTestDatabase, type TestDatabase } from './test-database.js';
export { ageChanges } from './age-changes.js';
export { resetClustering } from './reset-clustering.js';
export { createTestRedis, type TestRedis } from './test-redis.js';
export { startLoopbackServer, type LoopbackServer, type RecordedRequest } from './loopback-server.js';
export { seededRandom } from './seeded-random.js';
