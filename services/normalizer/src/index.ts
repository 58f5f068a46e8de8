export { startNormalizer, type NormalizerOptions } from './worker.js';
export { normalizeEntries, type NormalizeDeps, type NormalizeResult } from './normalize-entries.js';
export { toArticle } from './to-article.js';
export { assignStory, retrieveCandidates } from './assign-story.js';
