// What the normalizer, the database's corrections and the benchmarks use; the weights, gates and
// helpers behind them stay internal (their tests import them from their modules).
export { articleFeatures, articleNames, type ArticleFeatures } from './features.js';
export { tokenize, type Tokens } from './tokenize.js';
export { addTerms, allFinite, finiteTerms, idfFromCounts, truncateTerms, weightedVector, weightOf, type Idf } from './similarity.js';
export {
  decideStory,
  scoreCandidate,
  CENTROID_TERMS,
  JOIN_THRESHOLD,
  type ArticleToPlace,
  type CandidateStory,
  type DecideOptions,
  type StoryDecision,
} from './decide-story.js';
export { bcubed } from './bcubed.js';
export { CANDIDATES, QUERY_TERMS, SAME_TITLE_STORIES } from './candidates.js';
export { StoryIndex, STORIES_PER_TERM, STORY_MEMORY, type ArticleToIndex, type IndexedStory, type StoryToIndex, type Placement, type Posting, type StoryIndexOptions } from './story-index.js';
export { resolveMerges } from './resolve-merges.js';
export { RESUME_LAG_MS, settleGroups, type SettleArticle, type SettledGroup, type SettleInput, type SettleResult } from './settle-groups.js';
export { planStoryIds, type StoryIdPlan } from './plan-story-ids.js';
export { sameArticle, type SettleMemory } from './settle-memory.js';
export { eventScore, FEATURES, pairFeatures, RICH_TERMS, type PairFeatures, type PairText } from './pair-score.js';
export { averageLink, type AverageLinkInput, type ScoredPair } from './average-link.js';
export { candidatePairs } from './pair-graph.js';
export { sharedWords } from './shared-words.js';
