export { withStoryWrite } from './story-write.js';
export { mergeStories, oldestStory, rebuildStoryClustering, splitStory, MERGE_REASON, SPLIT_REASON } from './corrections.js';
export { recomputeTopic } from './topic-membership.js';
export { changeFeed, removeFeed } from './feeds.js';
export { refreshStoriesOfArticles } from './refresh.js';
export { StoryEngine, type BatchResult, type StoryEngineOptions } from './story-engine.js';
export { placePending } from './place-pending.js';
export { startAssigner, type Assigner, type AssignerOptions } from './assigner.js';
export { settleStories, SETTLED_REASON, type SettleMemoryHolder, type SettleOptions, type SettleReport } from './settle.js';
