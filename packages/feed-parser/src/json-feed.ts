import { parseDate } from './dates.js';
import type { EntryDraft } from './entries.js';
import { FeedParseError } from './errors.js';
import type { ParsedEnclosure } from './types.js';
import { resolveBase, resolveHttpUrl } from './urls.js';
import { distinct, isRecord, nonNegativeInt, type XmlRecord } from './xml-node.js';

/** JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), parsed natively. */

export type JsonFeed = {
  title: string | null;
  siteUrl: string | null;
  description: string | null;
  language: string | null;
  drafts: EntryDraft[];
};

const VERSION = /^https?:\/\/jsonfeed\.org\/version\//;
/** `"version": "1.1"`: a spec violation some generators commit (gofeed accepts it). */
const BARE_VERSION = /^1(?:\.\d{1,2})?$/;
/** Members only a JSON Feed item has; with a bare version, one of them must show up in an item. */
const ITEM_MEMBERS = ['id', 'content_html', 'content_text', 'date_published', 'attachments', 'external_url'];

/**
 * Whether a parsed JSON document is a JSON Feed: its `version` is a jsonfeed.org version URL, or
 * a bare version number with `items` that are recognisably JSON Feed items (plenty of unrelated
 * JSON carries `"version": "1.0"`, so a bare number alone is not enough).
 */
export function isJsonFeed(data: unknown): data is XmlRecord {
  if (!isRecord(data) || typeof data.version !== 'string') return false;
  const version = data.version.trim();
  if (VERSION.test(version)) return true;
  if (!BARE_VERSION.test(version) || !Array.isArray(data.items)) return false;
  return data.items.some((item) => isRecord(item) && ITEM_MEMBERS.some((member) => member in item));
}

function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

/** 1.1 `authors` (first named one), else 1.0 `author`. */
function authorName(object: XmlRecord): string | null {
  const authors = Array.isArray(object.authors) ? object.authors : [];
  for (const author of [...authors, object.author]) {
    const name = isRecord(author) ? str(author.name) : null;
    if (name) return name;
  }
  return null;
}

function attachments(item: XmlRecord, base: string | null): ParsedEnclosure[] {
  if (!Array.isArray(item.attachments)) return [];
  return item.attachments.flatMap((attachment) => {
    if (!isRecord(attachment)) return [];
    const url = resolveHttpUrl(attachment.url, base);
    if (!url) return [];
    return [{ url, type: str(attachment.mime_type), length: nonNegativeInt(attachment.size_in_bytes) }];
  });
}

function imageOf(item: XmlRecord, enclosures: ParsedEnclosure[], base: string | null): string | null {
  return (
    resolveHttpUrl(item.image, base) ??
    resolveHttpUrl(item.banner_image, base) ??
    enclosures.find((enclosure) => enclosure.type?.toLowerCase().startsWith('image/'))?.url ??
    null
  );
}

function mapItem(item: XmlRecord, base: string | null, feedAuthor: string | null): EntryDraft {
  const enclosures = attachments(item, base);
  const rawLink = str(item.url) ?? str(item.external_url);
  const tags = Array.isArray(item.tags) ? item.tags.map((tag) => (typeof tag === 'string' ? tag : null)) : [];
  const updatedAt = parseDate(item.date_modified);
  return {
    guid: str(item.id),
    rawLink,
    rawDate: str(item.date_published) ?? str(item.date_modified),
    url: resolveHttpUrl(item.url, base) ?? resolveHttpUrl(item.external_url, base),
    // JSON Feed has no xml:base: relative links in its HTML are the consumer's to resolve.
    baseUrl: null,
    title: typeof item.title === 'string' ? item.title.trim() : '',
    summary: str(item.summary),
    contentHtml: str(item.content_html) ?? str(item.content_text),
    author: authorName(item) ?? feedAuthor,
    publishedAt: parseDate(item.date_published) ?? updatedAt,
    updatedAt,
    categories: distinct(tags),
    enclosures,
    imageUrl: imageOf(item, enclosures, base),
  };
}

/** Parses JSON Feed text. Malformed JSON → invalid_feed; JSON that is not a JSON Feed → not_a_feed. */
export function parseJsonFeed(text: string, documentUrl: string | null): JsonFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError('invalid_feed', `Malformed JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonFeed(data)) {
    throw new FeedParseError('not_a_feed', 'JSON document is not a JSON Feed (no jsonfeed.org version)');
  }
  // Relative URLs: against the document's own URL when known, else what the feed says it is.
  const base = documentUrl ?? resolveBase(data.feed_url, null) ?? resolveBase(data.home_page_url, null);
  const feedAuthor = authorName(data);
  const items = Array.isArray(data.items) ? data.items.filter(isRecord) : [];
  return {
    title: str(data.title),
    siteUrl: resolveHttpUrl(data.home_page_url, base),
    description: str(data.description),
    language: str(data.language),
    drafts: items.map((item) => mapItem(item, base, feedAuthor)),
  };
}
