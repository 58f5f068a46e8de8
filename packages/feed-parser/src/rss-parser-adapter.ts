import Parser from 'rss-parser';
import { ATOM_FEED_FIELDS, ATOM_ITEM_FIELDS, copyFields, RSS_CHANNEL_FIELDS, RSS_ITEM_FIELDS } from './rss-parser-fields.js';
import { asArray, isRecord, textOf, type XmlRecord } from './xml-node.js';

/**
 * rss-parser 3.13 wrapped for untrusted input. Its XML parsing (xml2js) and Atom feed-level mapping
 * are kept, with custom fields exposing the raw nodes we need (attributes for xml:base and xml:lang,
 * every link, category, enclosure and media element), and with guards around the places where it
 * throws on odd but harmless input: an Atom `<link>` without attributes, an RSS root without
 * `<channel>`. Items, and the RSS channel, are built by our own parseItemRss / parseItemAtom /
 * buildRSS: rss-parser's throw on an unparseable Atom date (`new Date(x).toISOString()` fails the
 * whole feed) and spend much of their time on HTML-stripped snippets, ISO dates, iTunes objects and
 * channel fields that the mappers never read.
 */

export type RssParserItem = XmlRecord;
export type RssParserOutput = XmlRecord & { items: RssParserItem[] };

interface ParserInternals {
  buildAtomFeed(xmlObj: unknown): unknown;
  buildRSS0_9(xmlObj: unknown): unknown;
  buildRSS1(xmlObj: unknown): unknown;
  buildRSS2(xmlObj: unknown): unknown;
}

const base = Parser.prototype as unknown as ParserInternals;

/**
 * A text element as rss-parser's getContent gives it when it is plain text or has attributes; an
 * element with child elements but no text (rare once inline markup is wrapped in CDATA) yields its
 * descendants' text rather than rss-parser's re-serialisation inside a `<div>`.
 */
function contentOf(node: unknown): unknown {
  if (isRecord(node)) return typeof node._ === 'string' ? node._ : textOf(node);
  return node;
}

/**
 * Atom links as rss-parser expects them: element nodes with attributes. `<link>url</link>` becomes
 * `href`. In place: the node is a fresh xml2js object that nothing else reads.
 */
function normaliseLinks(node: XmlRecord): XmlRecord {
  if (!('link' in node)) return node;
  node.link = asArray(node.link).flatMap((link) => {
    if (typeof link === 'string') return link.trim() ? [{ $: { href: link.trim() } }] : [];
    return isRecord(link) && isRecord(link.$) ? [link] : [];
  });
  return node;
}

/** An RSS or RDF root as rss-parser can read it: with a `<channel>`, if only an empty one. */
function withChannel(root: unknown): unknown {
  if (!isRecord(root)) return { channel: [{}] };
  return Array.isArray(root.channel) && root.channel.length > 0 ? root : { ...root, channel: [{}] };
}

/** rss-parser reads channel elements only; the root's attributes (an `xml:base` on `<rss>`) go in `rootAttrs`. */
function withRootAttrs(feed: unknown, root: unknown): unknown {
  if (isRecord(feed) && isRecord(root) && isRecord(root.$)) feed.rootAttrs = root.$;
  return feed;
}

class SafeParser extends Parser<XmlRecord, XmlRecord> {
  buildAtomFeed(xmlObj: unknown): unknown {
    const feed = isRecord(xmlObj) && isRecord(xmlObj.feed) ? normaliseLinks(xmlObj.feed) : {};
    const built = base.buildAtomFeed.call(this, isRecord(xmlObj) && xmlObj.feed === feed ? xmlObj : { ...(xmlObj as XmlRecord), feed });
    if (isRecord(built)) copyFields(feed, built, ATOM_FEED_FIELDS);
    return built;
  }

  /**
   * Replaces rss-parser's buildRSS, the channel half of buildRSS0_9/1/2: its own channel fields
   * (23 of them, by copyFromXML) and pagination links, feed URL and image, of which the mappers
   * read three, copied here in one pass with ours.
   */
  buildRSS(channel: unknown, items: unknown): unknown {
    const feed: XmlRecord = {};
    if (isRecord(channel)) copyFields(channel, feed, RSS_CHANNEL_FIELDS);
    feed.items = asArray(items).map((item) => this.parseItemRss(item));
    return feed;
  }

  /** Replaces rss-parser's `itunes` objects on the feed and each item: the mappers read `itunes:` fields directly. */
  decorateItunes(): void {}

  /**
   * Replaces rss-parser's parseItemAtom, which throws on an unparseable date (`new Date(x).toISOString()`)
   * and computes snippets and ISO dates the mappers never read. Dates stay raw strings, for our own
   * more lenient parser.
   */
  parseItemAtom(entry: unknown): unknown {
    const item: XmlRecord = {};
    if (!isRecord(entry)) return item;
    const node = normaliseLinks(entry);
    copyFields(node, item, ATOM_ITEM_FIELDS);
    const title = contentOf(asArray(node.title)[0]);
    if (title) item.title = title;
    const content = asArray(node.content)[0];
    if (content !== undefined) item.content = contentOf(content);
    const summary = asArray(node.summary)[0];
    if (summary !== undefined) item.summary = contentOf(summary);
    const id = asArray(node.id)[0];
    if (id !== undefined) item.id = id;
    const published = asArray(node.published)[0];
    if (published !== undefined) item.published = textOf(published);
    const updated = asArray(node.updated)[0];
    if (updated !== undefined) item.updated = textOf(updated);
    return item;
  }

  /** Replaces rss-parser's parseItemRss: the same fields, without the snippets and ISO dates nobody reads. */
  parseItemRss(xmlItem: unknown): unknown {
    const item: XmlRecord = {};
    if (!isRecord(xmlItem)) return item;
    copyFields(xmlItem, item, RSS_ITEM_FIELDS);
    const description = asArray(xmlItem.description)[0];
    if (description !== undefined) item.content = contentOf(description);
    const about = isRecord(xmlItem.$) ? xmlItem.$['rdf:about'] : undefined;
    if (about !== undefined) item['rdf:about'] = about;
    return item;
  }

  buildRSS0_9(xmlObj: unknown): unknown {
    const rss = (xmlObj as XmlRecord).rss;
    const root = withChannel(rss);
    return withRootAttrs(base.buildRSS0_9.call(this, root === rss ? xmlObj : { ...(xmlObj as XmlRecord), rss: root }), rss);
  }

  buildRSS1(xmlObj: unknown): unknown {
    const rdf = (xmlObj as XmlRecord)['rdf:RDF'];
    const root = withChannel(rdf);
    return withRootAttrs(base.buildRSS1.call(this, root === rdf ? xmlObj : { ...(xmlObj as XmlRecord), 'rdf:RDF': root }), rdf);
  }

  buildRSS2(xmlObj: unknown): unknown {
    const rss = (xmlObj as XmlRecord).rss;
    const root = withChannel(rss);
    return withRootAttrs(base.buildRSS2.call(this, root === rss ? xmlObj : { ...(xmlObj as XmlRecord), rss: root }), rss);
  }
}

/** The part of xml2js's Parser (an EventEmitter) that we drive. */
interface XmlParser {
  on(event: 'end', listener: (result: unknown) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  parseString(xml: string): unknown;
}

const RSS2_VERSION = /^2/;
const RSS09_VERSION = /0\.9/;

/** rss-parser's parseString dispatch on the root element, called directly (see parseWithRssParser). */
function buildFeed(parser: SafeParser, result: unknown): unknown {
  if (!isRecord(result)) throw new Error('Unable to parse XML.');
  const rss = result.rss;
  const version = isRecord(rss) && isRecord(rss.$) && typeof rss.$.version === 'string' ? rss.$.version : '';
  if (result.feed) return parser.buildAtomFeed(result);
  if (rss && RSS2_VERSION.test(version)) return parser.buildRSS2(result);
  if (result['rdf:RDF']) return parser.buildRSS1(result);
  if (rss && RSS09_VERSION.test(version)) return parser.buildRSS0_9(result);
  // defaultRSS: 2, as rss-parser is configured below.
  if (rss) return parser.buildRSS2(result);
  throw new Error(NOT_RECOGNISED);
}

/** rss-parser's message when the root is none of feed, rss, rdf:RDF. */
export const NOT_RECOGNISED = 'Feed not recognized as RSS 1 or 2.';

/**
 * One options object for every parser: rss-parser's constructor fills in its defaults once and
 * only reads it afterwards (xml2js copies what it needs), so no per-parse allocation.
 */
const OPTIONS = {
  defaultRSS: 2,
  // Our fields are copied by copyFields (buildRSS, parseItemRss, parseItemAtom, buildAtomFeed), a
  // tight loop, instead of rss-parser's per-field copyFromXML.
  customFields: { feed: [], item: [] },
};

/**
 * Parses feed XML with a fresh parser (a shared rss-parser instance can carry xml2js state from a
 * failed parse into the next one). Throws xml2js's errors, or rss-parser's NOT_RECOGNISED.
 *
 * rss-parser's own parseString is this plus a Promise; xml2js parses synchronously (it is not
 * configured `async`), so we call it and rss-parser's builders directly: for the small documents
 * most feeds are, the promise plumbing was a noticeable share of the cost. We listen to xml2js's
 * events rather than pass it a callback: its callback path resets the parser after every parse
 * (a new sax parser and handlers), for reuse that this throwaway parser never sees.
 */
export function parseWithRssParser(xml: string): RssParserOutput {
  const parser = new SafeParser(OPTIONS);
  const xmlParser = (parser as unknown as { xmlParser: XmlParser }).xmlParser;
  // The first outcome counts, as it did for rss-parser's promise (xml2js can report an error and
  // still reach the end of the document, or reach it and then find junk after the root).
  let outcome: { error: unknown; result: unknown } | null = null;
  xmlParser.on('end', (result) => {
    outcome ??= { error: null, result };
  });
  xmlParser.on('error', (error) => {
    outcome ??= { error, result: null };
  });
  xmlParser.parseString(xml);
  // TypeScript cannot see the listeners run; xml2js emits before parseString returns.
  const settled = outcome as { error: unknown; result: unknown } | null;
  if (settled === null) throw new Error('xml2js did not finish parsing');
  if (settled.error) throw settled.error;
  const output = buildFeed(parser, settled.result);
  if (!isRecord(output)) return { items: [] };
  // Our parseItemRss / parseItemAtom return records: the check is for the type checker's sake.
  if (!Array.isArray(output.items)) output.items = [];
  return output as RssParserOutput;
}
