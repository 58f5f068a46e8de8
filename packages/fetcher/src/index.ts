export { fetchUrl, parseRetryAfter, FEED_ACCEPT, type FetchOptions, type FetchResult } from './fetch-url.js';
export { FetchError, type FetchErrorCode } from './fetch-error.js';
export { isPublicAddress } from './address-policy.js';
