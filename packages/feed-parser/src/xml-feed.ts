import { alternateLink, atomFeedAuthor, linkBaseFor, mapAtomEntry, textConstruct } from './atom-entry.js';
import { mapOutsideCdata } from './cdata.js';
import { wrapSegment } from './inline-markup.js';
import type { DraftFeed } from './entries.js';
import { FeedParseError } from './errors.js';
import { mapRssItem } from './rss-entry.js';
import { NOT_RECOGNISED, parseWithRssParser, type RssParserOutput } from './rss-parser-adapter.js';
import { resolveBase, resolveHttpUrl } from './urls.js';
import { removeInvalidXmlChars, rewriteSegment } from './xml-entities.js';
import { asArray, attr, attrFrom, declaresBase, firstText, nonNegativeInt, textOf, trimmedText } from './xml-node.js';

/** RSS and Atom: clean the XML up for a strict parser, run rss-parser, map its output. */

/** `<atom:feed xmlns:atom=…>`: rss-parser only knows unprefixed Atom, so drop the prefix. */
function unprefixRoot(xml: string, rootName: string): string {
  const colon = rootName.indexOf(':');
  if (colon < 0 || !rootName.endsWith(':feed')) return xml;
  const prefix = rootName.slice(0, colon + 1);
  return xml.replaceAll(`<${prefix}`, '<').replaceAll(`</${prefix}`, '</');
}

/** Entity fixes, then inline-markup wrapping, of one stretch outside CDATA. */
function prepareSegment(segment: string): string {
  return wrapSegment(rewriteSegment(segment));
}

/**
 * Prepares feed XML for xml2js's strict parser: characters XML forbids removed, then
 * wrapInlineMarkup(fixXmlEntities(xml)) fused into one walk over the document (entity fixes neither
 * make nor break CDATA sections, so both see the same stretches). Returns the very same string when
 * nothing needed fixing: no copy of a clean document.
 */
export function prepareXml(xml: string, rootName: string): string {
  return mapOutsideCdata(unprefixRoot(removeInvalidXmlChars(xml), rootName), prepareSegment);
}

function runParser(xml: string): RssParserOutput | null {
  try {
    return parseWithRssParser(xml);
  } catch (error) {
    // The root named a feed but held nothing rss-parser could read (`<feed/>`, `<rdf:RDF/>`).
    if (error instanceof Error && error.message === NOT_RECOGNISED) return null;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new FeedParseError('invalid_feed', `Malformed feed XML: ${reason}`, { cause: error });
  }
}

function firstLinkText(links: unknown): string | null {
  for (const node of asArray(links)) {
    const text = trimmedText(node);
    if (text) return text;
  }
  return null;
}

function rssFeed(output: RssParserOutput, documentUrl: string | null): DraftFeed {
  const rootBase = resolveBase(attrFrom(output.rootAttrs, 'xml:base'), documentUrl);
  const channelBase = resolveBase(attrFrom(output.attrs, 'xml:base'), rootBase);
  const declared = declaresBase(output.rootAttrs) || declaresBase(output.attrs);
  const siteUrl =
    resolveHttpUrl(firstLinkText(output.links), channelBase) ??
    resolveHttpUrl(attr(alternateLink(asArray(output.atomLinks)), 'href'), channelBase);
  // Relative item links: against the feed's own URL when we know it, else the channel link.
  const itemBase = channelBase ?? siteUrl;
  return {
    format: 'rss',
    title: firstText(output.title),
    siteUrl,
    description: firstText(output.description, output.dcDescription, output.itunesSummary),
    language: firstText(output.language, output.dcLanguage),
    ttlMinutes: nonNegativeInt(textOf(output.ttl)),
    drafts: output.items.map((item) => mapRssItem(item, itemBase, declared)),
  };
}

function atomFeed(output: RssParserOutput, documentUrl: string | null): DraftFeed {
  const feedBase = resolveBase(attrFrom(output.attrs, 'xml:base'), documentUrl);
  const link = alternateLink(asArray(output.links));
  const siteUrl = resolveHttpUrl(attr(link, 'href'), linkBaseFor(feedBase)(link));
  const context = { base: feedBase ?? siteUrl, baseDeclared: declaresBase(output.attrs), feedAuthor: atomFeedAuthor(output) };
  return {
    format: 'atom',
    title: textConstruct(asArray(output.titleNodes)[0], output.title),
    siteUrl,
    description:
      textConstruct(asArray(output.subtitleNodes)[0], output.subtitle) ??
      textConstruct(asArray(output.taglineNodes)[0], output.tagline),
    language: firstText(attrFrom(output.attrs, 'xml:lang')),
    ttlMinutes: null,
    drafts: output.items.map((item) => mapAtomEntry(item, context)),
  };
}

function emptyFeed(format: 'rss' | 'atom'): DraftFeed {
  return { format, title: null, siteUrl: null, description: null, language: null, ttlMinutes: null, drafts: [] };
}

export function parseXmlFeed(xml: string, format: 'rss' | 'atom', rootName: string, documentUrl: string | null): DraftFeed {
  const output = runParser(prepareXml(xml, rootName));
  if (!output) return emptyFeed(format);
  return format === 'atom' ? atomFeed(output, documentUrl) : rssFeed(output, documentUrl);
}
