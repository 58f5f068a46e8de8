import { alternateLink } from './atom-entry.js';
import { firstDate } from './dates.js';
import type { EntryDraft } from './entries.js';
import { firstHtmlImage, itemImage, rssEnclosures } from './media.js';
import type { RssParserItem } from './rss-parser-adapter.js';
import { resolveBase, resolveHttpUrl } from './urls.js';
import { asArray, attr, attrFrom, declaresBase, distinct, firstText, personName, textOf, trimmedText } from './xml-node.js';

/** Maps one RSS 0.9x / 1.0 (RDF) / 2.0 item, as rss-parser returned it, to an entry draft. */

/** The item's `<link>` text (some feeds put an Atom-style `<link href>` there), else an `<atom:link>`. */
function rawLink(item: RssParserItem): string | null {
  for (const node of asArray(item.links)) {
    const link = trimmedText(node) ?? attr(node, 'href')?.trim();
    if (link) return link;
  }
  return attr(alternateLink(asArray(item.atomLinks)), 'href')?.trim() || null;
}

function guidOf(item: RssParserItem): { guid: string | null; isPermaLink: boolean } {
  const node = asArray(item.guidNodes)[0];
  const guid = trimmedText(node) ?? firstText(item['rdf:about']);
  return { guid, isPermaLink: node !== undefined && attr(node, 'isPermaLink')?.trim().toLowerCase() !== 'false' };
}

/** description (raw HTML as given, not rss-parser's stripped snippet), else a summary-like extension. */
function summaryOf(item: RssParserItem): string | null {
  return firstText(item.content, asArray(item.summaryNodes)[0], item.atomSummary, item.dcDescription, item.itunesSummary);
}

/** `<category>`, `<dc:subject>`, `<atom:category term>` and the comma-separated `<itunes:keywords>`. */
function categoriesOf(item: RssParserItem): string[] {
  const atom = asArray(item.atomCategoryNodes).map((node) => attr(node, 'term') ?? attr(node, 'label') ?? textOf(node));
  const keywords = asArray(item.itunesKeywords).flatMap((node) => textOf(node).split(','));
  return distinct([...[...asArray(item.categoryNodes), ...asArray(item.dcSubjects)].map((node) => textOf(node)), ...atom, ...keywords]);
}

/** `baseDeclared`: whether the channel or the document root declares an xml:base. */
export function mapRssItem(item: RssParserItem, channelBase: string | null, baseDeclared: boolean): EntryDraft {
  const base = resolveBase(attrFrom(item.attrs, 'xml:base'), channelBase);
  const link = rawLink(item);
  const { guid, isPermaLink } = guidOf(item);
  // With no <link>, a permalink guid is the article's address (RSS 2.0 says so).
  const url = resolveHttpUrl(link, base) ?? (isPermaLink && guid ? resolveHttpUrl(guid, null) : null);

  // Our own lenient parser reads the raw strings; rss-parser's isoDate (V8's Date, local-time for
  // zone-less strings, and accepting things like "1") is deliberately not used.
  const published = [item.pubDate, item['dc:date'], item.published, item.atomPublished, item.issued, item.created];
  const updated = [item.atomUpdated, item.updated, item.dctermsModified, item.modified];
  const updatedAt = firstDate(...updated);
  const publishedAt = firstDate(...published) ?? updatedAt;

  const enclosures = rssEnclosures(item, base);
  const summary = summaryOf(item);
  const contentHtml = firstText(item['content:encoded'], item.atomContent);
  return {
    guid,
    rawLink: link,
    rawDate: firstText(...published, ...updated),
    url,
    baseUrl: baseDeclared || declaresBase(item.attrs) ? base : null,
    title: textOf(item.title).trim(),
    summary,
    contentHtml,
    author:
      personName(item['dc:creator']) ??
      personName(asArray(item.authorNodes)[0]) ??
      personName(item.dcAuthor) ??
      personName(asArray(item.atomAuthorNodes)[0]) ??
      personName(item.itunesAuthor),
    publishedAt,
    updatedAt,
    categories: categoriesOf(item),
    enclosures,
    imageUrl: itemImage(item, enclosures, base) ?? firstHtmlImage(summary, base) ?? firstHtmlImage(contentHtml, base),
  };
}
