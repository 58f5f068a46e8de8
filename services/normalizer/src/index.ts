export { startNormalizer, type Normalizer, type NormalizerOptions } from './worker.js';
export { sweepOnce, type SweepResult } from './recovery-sweep.js';
export { normalizeBatch } from './normalize-batch.js';
export { normalizeEntries, type NormalizeDeps, type NormalizeResult } from './normalize-entries.js';
export { toArticle } from './to-article.js';
