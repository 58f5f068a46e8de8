/**
 * Test helpers for anything that serves rendered feeds (`@newsfold/render/testdata`, source only:
 * never built or shipped): parse a feed back as readers do, and check XML strictly.
 */
export { decodeHtmlText, hrefs, parseFeed, type ParsedFeed, type ParsedItem } from './parse.js';
export { assertWellFormedXml } from './xml-check.js';
