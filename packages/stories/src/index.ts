export { withStoryWrite } from './story-write.js';
export { placeArticle, retrieveCandidates, type Assignment, type PlaceOptions } from './place-article.js';
export { mergeStories, oldestStory, rebuildStoryClustering, splitStory, MERGE_REASON, SPLIT_REASON } from './corrections.js';
export { recomputeTopic } from './topic-membership.js';
export { changeFeed, removeFeed } from './feeds.js';
export { refreshStoriesOfArticles } from './refresh.js';
