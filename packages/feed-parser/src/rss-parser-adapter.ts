import Parser from 'rss-parser';
import { asArray, isRecord, textOf, type XmlRecord } from './xml-node.js';

/**
 * rss-parser 3.13 wrapped for untrusted input. Its XML parsing (xml2js) and feed-level mapping are
 * kept, with custom fields exposing the raw nodes we need (attributes for xml:base and xml:lang,
 * every link, category, enclosure and media element), and with guards around the places where it
 * throws on odd but harmless input: an Atom `<link>` without attributes, an RSS root without
 * `<channel>`. Items are built by our own parseItemRss / parseItemAtom: rss-parser's throw on an
 * unparseable Atom date (`new Date(x).toISOString()` fails the whole feed) and spend much of their
 * time on HTML-stripped snippets and ISO dates that the mappers never read.
 */

export type RssParserItem = XmlRecord & { itunes?: XmlRecord };
export type RssParserOutput = XmlRecord & { items: RssParserItem[] };

type Field = string | [string, string] | [string, string, { keepArray: boolean }];

const ALL = { keepArray: true };

export const ITEM_FIELDS: Field[] = [
  'content:encoded',
  'dc:creator',
  'dc:date',
  ['dc:author', 'dcAuthor'],
  'published',
  'updated',
  'issued',
  'modified',
  'created',
  ['atom:updated', 'atomUpdated'],
  ['atom:published', 'atomPublished'],
  ['atom:content', 'atomContent'],
  ['atom:summary', 'atomSummary'],
  ['atom:link', 'atomLinks', ALL],
  ['atom:author', 'atomAuthorNodes', ALL],
  ['dc:description', 'dcDescription'],
  ['itunes:summary', 'itunesSummary'],
  ['itunes:author', 'itunesAuthor'],
  ['itunes:image', 'itunesImage'],
  ['itunes:keywords', 'itunesKeywords'],
  ['dcterms:modified', 'dctermsModified'],
  ['atom:category', 'atomCategoryNodes', ALL],
  ['media:content', 'mediaContent', ALL],
  ['media:thumbnail', 'mediaThumbnail', ALL],
  ['media:group', 'mediaGroup', ALL],
  ['$', 'attrs', ALL],
  ['link', 'links', ALL],
  ['guid', 'guidNodes', ALL],
  ['category', 'categoryNodes', ALL],
  ['dc:subject', 'dcSubjects', ALL],
  ['enclosure', 'enclosures', ALL],
  ['author', 'authorNodes', ALL],
  ['content', 'contentNodes', ALL],
  ['summary', 'summaryNodes', ALL],
  ['title', 'titleNodes', ALL],
];

export const FEED_FIELDS: Field[] = [
  'ttl',
  'language',
  'subtitle',
  'tagline',
  'updated',
  ['dc:language', 'dcLanguage'],
  ['dc:description', 'dcDescription'],
  ['itunes:summary', 'itunesSummary'],
  ['atom:link', 'atomLinks', ALL],
  ['$', 'attrs', ALL],
  ['link', 'links', ALL],
  ['author', 'authorNodes', ALL],
  ['title', 'titleNodes', ALL],
  ['subtitle', 'subtitleNodes', ALL],
  ['tagline', 'taglineNodes', ALL],
];

interface ParserInternals {
  buildAtomFeed(xmlObj: unknown): unknown;
  buildRSS0_9(xmlObj: unknown): unknown;
  buildRSS1(xmlObj: unknown): unknown;
  buildRSS2(xmlObj: unknown): unknown;
}

const base = Parser.prototype as unknown as ParserInternals;

interface CompiledField {
  from: string;
  to: string;
  keepArray: boolean;
}

/** Fields in order, and where each element name occurs among them. */
interface FieldTable {
  fields: CompiledField[];
  positions: Map<string, number[]>;
}

function compile(fields: Field[]): FieldTable {
  const compiled = fields.map((field) =>
    typeof field === 'string' ? { from: field, to: field, keepArray: false } : { from: field[0], to: field[1], keepArray: field[2]?.keepArray ?? false },
  );
  const positions = new Map<string, number[]>();
  compiled.forEach((field, i) => positions.set(field.from, [...(positions.get(field.from) ?? []), i]));
  return { fields: compiled, positions };
}

/** rss-parser's own item fields that the mappers read (`dc:title` first, so `title` wins when both are there). */
const RSS_DEFAULT_FIELDS: Field[] = [['dc:title', 'title'], 'title', 'pubDate'];
const RSS_ITEM_FIELDS = compile([...RSS_DEFAULT_FIELDS, ...ITEM_FIELDS]);
const ATOM_ITEM_FIELDS = compile(ITEM_FIELDS);

/**
 * rss-parser's copyFromXML (first node, or all with keepArray; an element's text for `{ _: text }`),
 * minus its per-call overhead: an element holds a handful of the three dozen names we ask for, so
 * look up the names it has, then copy in field order (a later field wins, as in copyFromXML).
 */
function copyFields(xml: XmlRecord, dest: XmlRecord, table: FieldTable): void {
  const present: number[] = [];
  for (const name in xml) {
    const positions = table.positions.get(name);
    if (positions) present.push(...positions);
  }
  present.sort((a, b) => a - b);
  for (const position of present) {
    const { from, to, keepArray } = table.fields[position] as CompiledField;
    const value = xml[from];
    if (value === undefined) continue;
    const copied = keepArray ? value : asArray(value)[0];
    dest[to] = isRecord(copied) && typeof copied._ === 'string' ? copied._ : copied;
  }
}

/**
 * A text element as rss-parser's getContent gives it when it is plain text or has attributes; an
 * element with child elements but no text (rare once inline markup is wrapped in CDATA) yields its
 * descendants' text rather than rss-parser's re-serialisation inside a `<div>`.
 */
function contentOf(node: unknown): unknown {
  if (isRecord(node)) return typeof node._ === 'string' ? node._ : textOf(node);
  return node;
}

/** Atom links as rss-parser expects them: element nodes with attributes. `<link>url</link>` becomes `href`. */
function normaliseLinks(node: XmlRecord): XmlRecord {
  if (!('link' in node)) return node;
  const links = asArray(node.link).flatMap((link) => {
    if (typeof link === 'string') return link.trim() ? [{ $: { href: link.trim() } }] : [];
    return isRecord(link) && isRecord(link.$) ? [link] : [];
  });
  return { ...node, link: links };
}

function withChannel(root: unknown): unknown {
  if (!isRecord(root)) return { channel: [{}] };
  return Array.isArray(root.channel) && root.channel.length > 0 ? root : { ...root, channel: [{}] };
}

/** rss-parser reads channel elements only; the root's attributes (an `xml:base` on `<rss>`) go in `rootAttrs`. */
function withRootAttrs(feed: unknown, root: unknown): unknown {
  if (isRecord(feed) && isRecord(root) && isRecord(root.$)) feed.rootAttrs = root.$;
  return feed;
}

const FEED_FIELDS_COMPILED = compile(FEED_FIELDS);

/** Our feed-level fields, copied from the channel (or Atom feed) element once rss-parser is done with it. */
function withFeedFields(feed: unknown, source: unknown): unknown {
  if (isRecord(feed) && isRecord(source)) copyFields(source, feed, FEED_FIELDS_COMPILED);
  return feed;
}

/** The channel element rss-parser reads from an RSS or RDF root (after withChannel). */
function channelOf(root: unknown): unknown {
  return isRecord(root) ? asArray(root.channel)[0] : undefined;
}

class SafeParser extends Parser<XmlRecord, XmlRecord> {
  buildAtomFeed(xmlObj: unknown): unknown {
    const feed = isRecord(xmlObj) && isRecord(xmlObj.feed) ? normaliseLinks(xmlObj.feed) : {};
    return withFeedFields(base.buildAtomFeed.call(this, { ...(xmlObj as XmlRecord), feed }), feed);
  }

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
    for (const name of ['published', 'updated']) {
      const raw = asArray(node[name])[0];
      if (raw !== undefined) item[name] = textOf(raw);
    }
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
    const feed = base.buildRSS0_9.call(this, { ...(xmlObj as XmlRecord), rss: root });
    return withRootAttrs(withFeedFields(feed, channelOf(root)), rss);
  }

  buildRSS1(xmlObj: unknown): unknown {
    const rdf = (xmlObj as XmlRecord)['rdf:RDF'];
    const root = withChannel(rdf);
    const feed = base.buildRSS1.call(this, { ...(xmlObj as XmlRecord), 'rdf:RDF': root });
    return withRootAttrs(withFeedFields(feed, channelOf(root)), rdf);
  }

  buildRSS2(xmlObj: unknown): unknown {
    const rss = (xmlObj as XmlRecord).rss;
    const root = withChannel(rss);
    const feed = base.buildRSS2.call(this, { ...(xmlObj as XmlRecord), rss: root });
    return withRootAttrs(withFeedFields(feed, channelOf(root)), rss);
  }
}

interface XmlParser {
  parseString(xml: string, callback: (error: unknown, result: unknown) => void): unknown;
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
 * Parses feed XML with a fresh parser (a shared rss-parser instance can carry xml2js state from a
 * failed parse into the next one). Throws xml2js's errors, or rss-parser's NOT_RECOGNISED.
 *
 * rss-parser's own parseString is this plus a Promise; xml2js parses synchronously (it is not
 * configured `async`), so we call it and rss-parser's builders directly: for the small documents
 * most feeds are, the promise plumbing was a noticeable share of the cost.
 */
export function parseWithRssParser(xml: string): RssParserOutput {
  const parser = new SafeParser({
    defaultRSS: 2,
    // Our fields are copied by copyFields (withFeedFields, parseItemRss, parseItemAtom), a tight
    // loop, instead of rss-parser's per-field copyFromXML.
    customFields: { feed: [], item: [] },
  });
  let outcome: { error: unknown; result: unknown } | null = null;
  (parser as unknown as { xmlParser: XmlParser }).xmlParser.parseString(xml, (error, result) => {
    // The first outcome counts, as it did for rss-parser's promise (xml2js can report an error
    // and still reach the end of the document).
    outcome ??= { error, result };
  });
  // TypeScript cannot see the callback run; xml2js calls it before parseString returns.
  const settled = outcome as { error: unknown; result: unknown } | null;
  if (settled === null) throw new Error('xml2js did not finish parsing');
  if (settled.error) throw settled.error;
  const output = buildFeed(parser, settled.result);
  if (!isRecord(output)) return { items: [] };
  const items = Array.isArray(output.items) ? output.items.filter(isRecord) : [];
  return { ...output, items };
}
