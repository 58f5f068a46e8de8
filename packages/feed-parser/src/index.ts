export { parseFeed } from './parse-feed.js';
export { FeedParseError, type FeedParseErrorCode } from './errors.js';
export { detectFormat, type DetectedFormat } from './detect.js';
export { decodeBody, detectEncoding, type DetectedEncoding, type EncodingSource } from './decode.js';
export { parseDate } from './dates.js';
export type { FeedFormat, ParsedEnclosure, ParsedEntry, ParsedFeed, ParseOptions } from './types.js';
