export { startNormalizer, type NormalizerOptions } from './worker.js';
export { normalizeEntries, type NormalizeDeps, type NormalizeResult } from './normalize-entries.js';
export { toArticle } from './to-article.js';
export { assignStory, QUERY_TERMS, STORIES_PER_TERM, CANDIDATES } from './assign-story.js';
