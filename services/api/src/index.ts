export { createApp } from './app.js';
export { startApi, type ApiServer } from './server.js';
export type { ApiDeps } from './deps.js';
export { HttpError } from './http-error.js';
export { importOutlines, type OpmlImportResult } from './opml-import.js';
export { createTopicRecomputer, type TopicRecomputer } from './topic-recompute.js';
export { subscribeFeed, type Subscription } from './subscribe-feed.js';
export { checkFeedUrl } from './feed-url.js';
