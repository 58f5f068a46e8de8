import { isUtf8 } from 'node:buffer';
import { firstDate } from './dates.js';
import type { EntryDraft } from './entries.js';
import { atomEnclosures, firstHtmlImage, itemImage } from './media.js';
import type { RssParserItem } from './rss-parser-adapter.js';
import { resolveBase, resolveHttpUrl } from './urls.js';
import { asArray, attr, attrFrom, declaresBase, distinct, firstText, isRecord, personName, textOf } from './xml-node.js';

/** Maps one Atom 1.0 / 0.3 entry, as rss-parser returned it, to an entry draft. */

const NOT_A_PAGE = new Set(['self', 'edit', 'edit-media', 'enclosure', 'replies', 'license', 'hub', 'next', 'previous']);

/** The base a link resolves against: its own xml:base over the inherited one. */
export function linkBaseFor(inherited: string | null): (link: unknown) => string | null {
  return (link) => resolveBase(attr(link, 'xml:base'), inherited);
}

/**
 * The page a set of Atom links points at: the first `rel="alternate"` (or rel-less) link, HTML
 * ones first; else the first link that is not a feed-plumbing relation.
 */
export function alternateLink(links: unknown[]): unknown {
  const alternates = links.filter((link) => (attr(link, 'rel') ?? 'alternate').trim() === 'alternate' && attr(link, 'href'));
  const html = alternates.find((link) => /html/i.test(attr(link, 'type') ?? 'text/html'));
  return html ?? alternates[0] ?? links.find((link) => attr(link, 'href') && !NOT_A_PAGE.has(attr(link, 'rel') ?? ''));
}

/** A MIME type (not Atom's `text`/`html`/`xhtml`) whose content RFC 4287 §4.1.3.3 has base64-encoded. */
function isBase64MediaType(type: string | undefined): boolean {
  const value = type?.trim().toLowerCase() ?? '';
  return value.includes('/') && !value.startsWith('text/') && !/[/+]xml(?:\s*;|$)/.test(value);
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

const CONTROL_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

/**
 * Base64 decoded when it decodes to text (valid UTF-8, no control characters); otherwise the text
 * as written: it was not base64 after all (`application/json` written out, `test` in a custom type),
 * or it is binary, which has no better rendering. gofeed makes the same call.
 */
function decodeBase64Text(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(text) || compact.length % 4 !== 0) return firstText(text);
  const bytes = Buffer.from(compact, 'base64');
  const decoded = isUtf8(bytes) ? bytes.toString('utf8') : null;
  return firstText(decoded !== null && !CONTROL_CHARS.test(decoded) ? decoded : text);
}

/**
 * An Atom text construct as given: escaped HTML/text as text, base64 (Atom 0.3 `mode="base64"`,
 * Atom 1.0 non-text media types) decoded, and out-of-line content (`src`) as nothing. `parsed` is
 * rss-parser's rendering of the same node.
 */
export function textConstruct(node: unknown, parsed: unknown): string | null {
  if (node === undefined) return firstText(parsed);
  if (attr(node, 'src') !== undefined && textOf(node).trim() === '') return null;
  if (attr(node, 'mode') === 'base64') {
    return firstText(Buffer.from(textOf(node), 'base64').toString('utf8'));
  }
  if (isBase64MediaType(attr(node, 'type'))) return decodeBase64Text(textOf(node));
  return firstText(typeof parsed === 'string' ? parsed : node);
}

function categoriesOf(item: RssParserItem): string[] {
  return distinct(
    asArray(item.categoryNodes).map((node) => attr(node, 'term') ?? attr(node, 'label') ?? textOf(node)),
  );
}

export interface AtomContext {
  /** The feed's base (document URL with the feed's xml:base applied). */
  base: string | null;
  /** Whether the feed element declares an xml:base. */
  baseDeclared: boolean;
  /** Atom entries inherit the feed's author when they name none. */
  feedAuthor: string | null;
}

export function mapAtomEntry(item: RssParserItem, context: AtomContext): EntryDraft {
  const base = resolveBase(attrFrom(item.attrs, 'xml:base'), context.base);
  const links = asArray(item.links);
  const linkBase = linkBaseFor(base);
  const link = alternateLink(links);
  const href = attr(link, 'href')?.trim() ?? null;

  const published = [item.published, item.issued, item.created];
  const updated = [item.updated, item.modified];
  const updatedAt = firstDate(...updated);
  const enclosures = atomEnclosures(links, linkBase);
  const summaryNode = asArray(item.summaryNodes)[0];
  const contentNode = asArray(item.contentNodes)[0];
  const summary = textConstruct(summaryNode, item.summary);
  const contentHtml = textConstruct(contentNode, item.content);
  // One base for both texts (ParsedEntry.baseUrl), that of the one readers get: the content's, with
  // its own xml:base (Planet-style aggregators set it per element), else the summary's.
  const textNode = contentHtml !== null ? contentNode : summaryNode;
  const textBase = resolveBase(attr(textNode, 'xml:base'), base);
  const declared = context.baseDeclared || declaresBase(item.attrs) || (attr(textNode, 'xml:base')?.trim() ?? '') !== '';
  return {
    guid: firstText(item.id),
    rawLink: href,
    rawDate: firstText(...published, ...updated),
    url: resolveHttpUrl(href, linkBase(link)),
    baseUrl: declared ? textBase : null,
    title: textConstruct(asArray(item.titleNodes)[0], item.title) ?? '',
    summary,
    contentHtml,
    author: personName(asArray(item.authorNodes)[0]) ?? context.feedAuthor,
    publishedAt: firstDate(...published) ?? updatedAt,
    updatedAt,
    categories: categoriesOf(item),
    enclosures,
    imageUrl: itemImage(item, enclosures, base) ?? firstHtmlImage(summary, base) ?? firstHtmlImage(contentHtml, base),
  };
}

/** The feed-level author's name, for inheritance. */
export function atomFeedAuthor(feed: Record<string, unknown>): string | null {
  const node = asArray(feed.authorNodes)[0];
  return isRecord(node) || typeof node === 'string' ? personName(node) : null;
}
