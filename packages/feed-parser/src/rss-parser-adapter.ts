import Parser from 'rss-parser';
import { asArray, isRecord, textOf, type XmlRecord } from './xml-node.js';

/**
 * rss-parser 3.13 wrapped for untrusted input. Its own RSS/Atom mapping is kept, with custom fields
 * exposing the raw nodes we need (attributes for xml:base and xml:lang, every link, category,
 * enclosure and media element), and with guards around the places where it throws on odd but
 * harmless input: an unparseable Atom date (`new Date(x).toISOString()` throws and fails the whole
 * feed), an Atom `<link>` without attributes, an RSS root without `<channel>`.
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
  parseItemAtom(entry: unknown): unknown;
  buildRSS0_9(xmlObj: unknown): unknown;
  buildRSS1(xmlObj: unknown): unknown;
  buildRSS2(xmlObj: unknown): unknown;
}

const base = Parser.prototype as unknown as ParserInternals;

/** Atom links as rss-parser expects them: element nodes with attributes. `<link>url</link>` becomes `href`. */
function normaliseLinks(node: XmlRecord): XmlRecord {
  if (!('link' in node)) return node;
  const links = asArray(node.link).flatMap((link) => {
    if (typeof link === 'string') return link.trim() ? [{ $: { href: link.trim() } }] : [];
    return isRecord(link) && isRecord(link.$) ? [link] : [];
  });
  return { ...node, link: links };
}

const ATOM_DATE_ELEMENTS = ['published', 'updated'] as const;

/** Drops Atom dates that JavaScript cannot parse, so rss-parser does not throw; raw values stay in `item.published`/`item.updated`. */
function withoutUnparseableDates(entry: XmlRecord): XmlRecord {
  const copy: XmlRecord = { ...entry };
  for (const name of ATOM_DATE_ELEMENTS) {
    const first = asArray(copy[name])[0];
    if (typeof first === 'string' && first.length > 0 && Number.isNaN(new Date(first).getTime())) delete copy[name];
  }
  return copy;
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

class SafeParser extends Parser<XmlRecord, XmlRecord> {
  buildAtomFeed(xmlObj: unknown): unknown {
    const feed = isRecord(xmlObj) && isRecord(xmlObj.feed) ? normaliseLinks(xmlObj.feed) : {};
    return base.buildAtomFeed.call(this, { ...(xmlObj as XmlRecord), feed });
  }

  parseItemAtom(entry: unknown): unknown {
    if (!isRecord(entry)) return base.parseItemAtom.call(this, {});
    const item = base.parseItemAtom.call(this, withoutUnparseableDates(normaliseLinks(entry)));
    if (isRecord(item)) {
      // Keep the raw date strings (even unparseable ones) for our own, more lenient parser.
      for (const name of ATOM_DATE_ELEMENTS) {
        const raw = asArray(entry[name])[0];
        if (raw !== undefined) item[name] = textOf(raw);
      }
    }
    return item;
  }

  buildRSS0_9(xmlObj: unknown): unknown {
    const rss = (xmlObj as XmlRecord).rss;
    return withRootAttrs(base.buildRSS0_9.call(this, { ...(xmlObj as XmlRecord), rss: withChannel(rss) }), rss);
  }

  buildRSS1(xmlObj: unknown): unknown {
    const rdf = (xmlObj as XmlRecord)['rdf:RDF'];
    return withRootAttrs(base.buildRSS1.call(this, { ...(xmlObj as XmlRecord), 'rdf:RDF': withChannel(rdf) }), rdf);
  }

  buildRSS2(xmlObj: unknown): unknown {
    const rss = (xmlObj as XmlRecord).rss;
    return withRootAttrs(base.buildRSS2.call(this, { ...(xmlObj as XmlRecord), rss: withChannel(rss) }), rss);
  }
}

/**
 * Parses feed XML with a fresh parser (a shared rss-parser instance can carry xml2js state from a
 * failed parse into the next one). Rejects with rss-parser's / xml2js's own errors.
 */
export async function parseWithRssParser(xml: string): Promise<RssParserOutput> {
  const parser = new SafeParser({
    defaultRSS: 2,
    customFields: {
      feed: FEED_FIELDS as unknown as string[],
      item: ITEM_FIELDS as unknown as string[],
    },
  });
  const output: unknown = await parser.parseString(xml);
  if (!isRecord(output)) return { items: [] };
  const items = Array.isArray(output.items) ? output.items.filter(isRecord) : [];
  return { ...output, items };
}
