import { decodeBody } from './decode.js';
import { findRootElement, formatOfRoot, type RootElement } from './detect.js';
import { finalizeEntries, type DraftFeed } from './entries.js';
export type { DraftFeed } from './entries.js';
import { FeedParseError } from './errors.js';
import { parseJsonFeed } from './json-feed.js';
import type { ParsedFeed, ParseOptions } from './types.js';
import { resolveBase } from './urls.js';
import { parseXmlFeed } from './xml-feed.js';

/** How much of a non-feed body to quote in an error message. */
const SNIPPET = 60;

function snippet(text: string): string {
  const flat = text.slice(0, SNIPPET * 4).replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

/** How far into the body an XML declaration may follow junk (a server's error output). */
const JUNK_WINDOW = 65_536;

/**
 * The XML document inside the body. Anything before the first tag would make a strict parser fail,
 * so it is dropped; when that first tag is not a feed but an XML declaration follows (PHP prints
 * `<br /><b>Warning</b>: …` before the feed), the document starts at the declaration.
 */
function locateXml(text: string, lt: number): { xml: string; root: RootElement | null } {
  const xml = text.slice(lt);
  const root = findRootElement(xml);
  const format = root ? formatOfRoot(root.name) : 'unknown';
  if (format === 'rss' || format === 'atom') return { xml, root };
  const declaration = text.indexOf('<?xml', lt + 1);
  if (declaration > 0 && declaration < lt + JUNK_WINDOW) {
    const retry = text.slice(declaration);
    const retryRoot = findRootElement(retry);
    const retryFormat = retryRoot ? formatOfRoot(retryRoot.name) : 'unknown';
    if (retryFormat === 'rss' || retryFormat === 'atom') return { xml: retry, root: retryRoot };
  }
  return { xml, root };
}


/**
 * parseFeed up to, not including, settling entries: no guid fallbacks, no future-date clamping, no
 * dropping of empty or repeated entries. For tests that look at what was extracted from each item.
 */
export async function parseFeedDrafts(body: Uint8Array | string, options: ParseOptions = {}): Promise<DraftFeed> {
  return draftFeed(body, options);
}

/** parseFeedDrafts, synchronously: every step is (xml2js included), and for small feeds promise hops add up. */
function draftFeed(body: Uint8Array | string, options: ParseOptions): DraftFeed {
  const text = typeof body === 'string' ? body : decodeBody(body, options.contentType);
  const documentUrl = resolveBase(options.url, null);

  const start = text.search(/[^\s\uFEFF]/);
  if (start < 0) throw new FeedParseError('not_a_feed', 'Empty body');

  if (text[start] === '{') {
    return { format: 'json', ...parseJsonFeed(text.slice(start), documentUrl), ttlMinutes: null };
  }

  const lt = text.indexOf('<', start);
  if (lt < 0) throw new FeedParseError('not_a_feed', `Not XML or JSON: "${snippet(text)}"`);
  const { xml, root } = locateXml(text, lt);
  if (!root) {
    // Markup with no element at all is broken XML; prose with a stray "<" in it is not XML.
    throw lt === start
      ? new FeedParseError('invalid_feed', 'XML document without a root element')
      : new FeedParseError('not_a_feed', `Not XML or JSON: "${snippet(text)}"`);
  }
  const format = formatOfRoot(root.name);
  if (format === 'html') throw new FeedParseError('not_a_feed', 'HTML page, not a feed');
  if (format !== 'rss' && format !== 'atom') {
    throw new FeedParseError('not_a_feed', `XML root <${root.name}> is not RSS, RDF or Atom`);
  }
  return parseXmlFeed(xml, format, root.name, documentUrl);
}

/**
 * Parses an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 body into newsfold's entry model.
 * Bytes are decoded first (BOM, XML declaration, Content-Type charset, UTF-8). Throws
 * FeedParseError `not_a_feed` for HTML pages and unrecognisable bodies, `invalid_feed` for
 * malformed XML/JSON. One bad entry field (a date, a link) never fails the feed.
 */
export async function parseFeed(body: Uint8Array | string, options: ParseOptions = {}): Promise<ParsedFeed> {
  const fetchedAt = options.fetchedAt ?? new Date();
  const feed = draftFeed(body, options);
  // Spelled out rather than `{ drafts, ...feed }`: rest destructuring is a slow path in V8.
  return {
    format: feed.format,
    title: feed.title,
    siteUrl: feed.siteUrl,
    description: feed.description,
    language: feed.language,
    ttlMinutes: feed.ttlMinutes,
    entries: finalizeEntries(feed.drafts, fetchedAt),
  };
}
