export { fetchUrl, parseRetryAfter, FEED_ACCEPT, type FetchOptions, type FetchResult } from './fetch-url.js';
export { fetchFeedDocument, looksLikeHtml, type FeedDocumentResult } from './fetch-feed-document.js';
export { discoverFeedLinks, type DiscoveredFeed } from './discover-feeds.js';
export { FetchError, type FetchErrorCode } from './fetch-error.js';
export { ipv6Groups, isPublicAddress } from './address-policy.js';
export { closeFetcher, createGuardedAgent, type AddressPolicy, type GuardOptions, type Resolver } from './guarded-agent.js';
export { probeFeed, type ProbedFeed, type ProbeOptions } from './probe-feed.js';
