export { chooseStory, MIN_TITLE_TOKENS, type ArticleToPlace, type StoryCandidate, type StoryMatch, type MatchReason } from './choose-story.js';
