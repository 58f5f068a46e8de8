import { decodeBody } from './decode.js';
import { findRootElement, formatOfRoot } from './detect.js';
import { finalizeEntries } from './entries.js';
import { FeedParseError } from './errors.js';
import { parseJsonFeed } from './json-feed.js';
import type { ParsedFeed, ParseOptions } from './types.js';
import { resolveBase } from './urls.js';
import { parseXmlFeed } from './xml-feed.js';

/** How much of a non-feed body to quote in an error message. */
const SNIPPET = 60;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

/**
 * Parses an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 body into newsfold's entry model.
 * Bytes are decoded first (BOM, XML declaration, Content-Type charset, UTF-8). Throws
 * FeedParseError `not_a_feed` for HTML pages and unrecognisable bodies, `invalid_feed` for
 * malformed XML/JSON. One bad entry field (a date, a link) never fails the feed.
 */
export async function parseFeed(body: Uint8Array | string, options: ParseOptions = {}): Promise<ParsedFeed> {
  const text = typeof body === 'string' ? body : decodeBody(body, options.contentType);
  const fetchedAt = options.fetchedAt ?? new Date();
  const documentUrl = resolveBase(options.url, null);

  const start = text.search(/[^\s\uFEFF]/);
  if (start < 0) throw new FeedParseError('not_a_feed', 'Empty body');

  if (text[start] === '{') {
    const json = parseJsonFeed(text.slice(start), documentUrl);
    const { drafts, ...feed } = json;
    return { format: 'json', ...feed, ttlMinutes: null, entries: finalizeEntries(drafts, fetchedAt) };
  }

  // Anything before the first tag (a PHP warning, stray whitespace) would make a strict parser fail.
  const lt = text.indexOf('<', start);
  const xml = lt < 0 ? '' : text.slice(lt);
  const root = findRootElement(xml);
  if (!root) {
    throw lt < 0
      ? new FeedParseError('not_a_feed', `Not XML or JSON: "${snippet(text)}"`)
      : new FeedParseError('invalid_feed', 'XML document without a root element');
  }
  const format = formatOfRoot(root.name);
  if (format === 'html') throw new FeedParseError('not_a_feed', 'HTML page, not a feed');
  if (format !== 'rss' && format !== 'atom') {
    throw new FeedParseError('not_a_feed', `XML root <${root.name}> is not RSS, RDF or Atom`);
  }

  const { drafts, ...feed } = await parseXmlFeed(xml, format, root.name, documentUrl);
  return { ...feed, entries: finalizeEntries(drafts, fetchedAt) };
}
