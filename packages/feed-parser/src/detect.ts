import { isJsonFeed } from './json-feed.js';
import type { FeedFormat } from './types.js';

/** What a body looks like: a feed format, an HTML page, or nothing we recognise. */
export type DetectedFormat = FeedFormat | 'html' | 'unknown';

export interface RootElement {
  /** The root element's name as written, prefix included (`rss`, `rdf:RDF`, `atom:feed`). */
  name: string;
  /** Offset of the root element's `<` in the text. */
  offset: number;
}

/** Skips the prolog (declaration, processing instructions, comments, doctype) up to the first element. */
export function findRootElement(text: string): RootElement | null {
  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) return null;
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return null;
      pos = end + 2;
    } else if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return null;
      pos = end + 3;
    } else if (text.startsWith('<!', lt)) {
      pos = skipDeclaration(text, lt);
    } else {
      const match = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 256));
      if (match?.[1]) return { name: match[1], offset: lt };
      pos = lt + 1;
    }
  }
  return null;
}

/** Skips `<!DOCTYPE …>`, including an internal subset in brackets. */
function skipDeclaration(text: string, lt: number): number {
  let depth = 0;
  for (let i = lt + 2; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) return i + 1;
  }
  return text.length;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Which feed format an XML root element names, if any. */
export function formatOfRoot(name: string): DetectedFormat {
  const local = localName(name);
  if (local === 'rss' || local === 'RDF') return 'rss';
  if (local === 'feed') return 'atom';
  if (local.toLowerCase() === 'html') return 'html';
  return 'unknown';
}

const JSON_FEED_VERSION = /"version"\s*:\s*"https?:\\?\/\\?\/jsonfeed\.org\\?\/version\\?\//;

const BARE_JSON_FEED_VERSION = /"version"\s*:\s*"1(?:\.\d{1,2})?"/;

/** A JSON Feed with a bare `"version": "1.1"` is only told from other JSON by parsing it (see isJsonFeed). */
function bareVersionJsonFeed(text: string): boolean {
  if (!BARE_JSON_FEED_VERSION.test(text)) return false;
  try {
    return isJsonFeed(JSON.parse(text));
  } catch {
    return false;
  }
}

/**
 * A cheap look at a decoded body. JSON is recognised as a JSON Feed by its `version` member;
 * XML by its root element; a `<!DOCTYPE html>` or `<html>` root is an HTML page.
 */
export function detectFormat(text: string): DetectedFormat {
  const start = text.search(/[^\s\uFEFF]/);
  if (start < 0) return 'unknown';
  if (text[start] === '{') return JSON_FEED_VERSION.test(text) || bareVersionJsonFeed(text) ? 'json' : 'unknown';
  if (/^<!doctype\s+html/i.test(text.slice(start, start + 20))) return 'html';
  const root = findRootElement(text);
  return root ? formatOfRoot(root.name) : 'unknown';
}
