import type { ParsedEnclosure } from './types.js';
import { resolveHttpUrl } from './urls.js';
import { asArray, attr, isRecord, nonNegativeInt, type XmlRecord } from './xml-node.js';

/** Enclosures and images of an RSS/Atom item (RSS `<enclosure>`, Atom `rel="enclosure"`, Media RSS). */

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp|svg)(?:$|[?#])/i;

function looksLikeImage(url: string, type: string | undefined, medium: string | undefined): boolean {
  if (medium) return medium.toLowerCase() === 'image';
  if (type) return type.toLowerCase().startsWith('image/');
  return IMAGE_EXTENSION.test(url);
}

function enclosureFrom(url: string | null, type: string | undefined, length: unknown): ParsedEnclosure | null {
  if (!url) return null;
  const cleanType = type?.trim();
  return { url, type: cleanType ? cleanType : null, length: nonNegativeInt(length) };
}

/** RSS `<enclosure url type length>` elements (all of them, not just rss-parser's first). */
export function rssEnclosures(item: XmlRecord, base: string | null): ParsedEnclosure[] {
  return asArray(item.enclosures).flatMap((node) => {
    const enclosure = enclosureFrom(resolveHttpUrl(attr(node, 'url'), base), attr(node, 'type'), attr(node, 'length'));
    return enclosure ? [enclosure] : [];
  });
}

/** Atom `<link rel="enclosure" href type length>` elements, with their own xml:base applied. */
export function atomEnclosures(links: unknown[], linkBase: (link: unknown) => string | null): ParsedEnclosure[] {
  return links.flatMap((link) => {
    if (attr(link, 'rel') !== 'enclosure') return [];
    const url = resolveHttpUrl(attr(link, 'href'), linkBase(link));
    const enclosure = enclosureFrom(url, attr(link, 'type'), attr(link, 'length'));
    return enclosure ? [enclosure] : [];
  });
}

function mediaUrl(node: unknown, base: string | null): string | null {
  return resolveHttpUrl(attr(node, 'url') ?? (typeof node === 'string' ? node : undefined), base);
}

/** The first image among media:thumbnail / media:content nodes (directly or in a media:group). */
function mediaImage(thumbnails: unknown[], contents: unknown[], base: string | null): string | null {
  for (const thumbnail of thumbnails) {
    const url = mediaUrl(thumbnail, base);
    if (url) return url;
  }
  for (const content of contents) {
    const url = mediaUrl(content, base);
    if (url && looksLikeImage(url, attr(content, 'type'), attr(content, 'medium'))) return url;
    // A video's media:content often carries its poster frame as a nested thumbnail.
    const nested = isRecord(content) ? mediaImage(asArray(content['media:thumbnail']), [], base) : null;
    if (nested) return nested;
  }
  return null;
}

/**
 * The entry's image: media:thumbnail, then an image media:content, then the same inside
 * media:group, then an image enclosure, then the iTunes episode image.
 */
export function itemImage(item: XmlRecord, enclosures: ParsedEnclosure[], base: string | null): string | null {
  const direct = mediaImage(asArray(item.mediaThumbnail), asArray(item.mediaContent), base);
  if (direct) return direct;
  for (const group of asArray(item.mediaGroup)) {
    if (!isRecord(group)) continue;
    const grouped = mediaImage(asArray(group['media:thumbnail']), asArray(group['media:content']), base);
    if (grouped) return grouped;
  }
  for (const enclosure of enclosures) {
    if (looksLikeImage(enclosure.url, enclosure.type ?? undefined, undefined)) return enclosure.url;
  }
  return resolveHttpUrl(attr(item.itunesImage, 'href'), base);
}

const IMG_TAG = /<img\b[^>]*>/gi;
const MAX_IMG_TAGS = 20;

/** One compiled pattern per attribute name (there are three), not one per call. */
const ATTRIBUTE_PATTERNS = new Map<string, RegExp>();

function htmlAttribute(tag: string, name: string): string | undefined {
  let pattern = ATTRIBUTE_PATTERNS.get(name);
  if (!pattern) {
    pattern = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
    ATTRIBUTE_PATTERNS.set(name, pattern);
  }
  const match = pattern.exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/**
 * The first real image in an HTML fragment (description or content), skipping tracking pixels
 * (width or height of 0 or 1). Entity-escaped `&amp;` in the src is unescaped.
 */
export function firstHtmlImage(html: string | null, base: string | null): string | null {
  if (!html) return null;
  // One shared global pattern; this loop never re-enters itself, and lastIndex is reset first.
  IMG_TAG.lastIndex = 0;
  for (let seen = 1, m = IMG_TAG.exec(html); m !== null && seen <= MAX_IMG_TAGS; seen++, m = IMG_TAG.exec(html)) {
    const tag = m[0];
    if (/^[01]$/.test(htmlAttribute(tag, 'width') ?? '') || /^[01]$/.test(htmlAttribute(tag, 'height') ?? '')) continue;
    const url = resolveHttpUrl(htmlAttribute(tag, 'src')?.replaceAll('&amp;', '&'), base);
    if (url) return url;
  }
  return null;
}
