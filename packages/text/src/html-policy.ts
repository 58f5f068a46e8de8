import { decodeHTMLAttribute } from 'entities';
import { parseHttpUrl } from './parse-http-url.js';
import { removeControlChars } from './remove-control-chars.js';

/** Elements `sanitizeHtml` keeps (with `h1` renamed `h2`: the page's own title is the h1). */
const KEPT_ELEMENTS = new Set([
  'p', 'br', 'a', 'strong', 'b', 'em', 'i', 'u', 's', 'blockquote', 'q', 'cite', 'ul', 'ol', 'li',
  'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'code', 'figure', 'figcaption', 'img', 'table', 'thead',
  'tbody', 'tr', 'th', 'td', 'hr', 'sub', 'sup', 'small', 'abbr', 'time',
]);

export const VOID_ELEMENTS = new Set(['br', 'hr', 'img']);

/**
 * Elements dropped together with everything inside them: active content, forms, foreign
 * (SVG/MathML) content, and players whose children are only fallback chrome. Void elements of the
 * same kind (`input`, `embed`) have no content and are simply dropped like any unknown tag.
 */
export const DROPPED_WITH_CONTENT = new Set([
  'script', 'style', 'iframe', 'object', 'form', 'button', 'svg', 'math', 'template', 'noscript',
  'textarea', 'select', 'xmp', 'noembed', 'noframes', 'title', 'applet', 'frameset', 'video',
  'audio', 'canvas', 'dialog',
]);

/** Of those, the ones whose content is raw text in HTML: it ends at the first `</name`. */
export const RAW_TEXT_ELEMENTS = new Set([
  'script', 'style', 'iframe', 'noscript', 'textarea', 'xmp', 'noembed', 'noframes', 'title',
]);

/** The name an element is kept under, or null when only its content is kept. */
export function keptName(name: string): string | null {
  if (name === 'h1') return 'h2';
  return KEPT_ELEMENTS.has(name) ? name : null;
}

const LINK_REL = 'nofollow noopener noreferrer';

/** Sources used by lazy-loading scripts when `src` is only a placeholder. */
const LAZY_SOURCES = ['data-src', 'data-lazy-src', 'data-original'];

/**
 * The serialised attributes (each with a leading space) an element keeps, in a fixed order, or
 * null when the element is useless without the attribute it lacks (a link without a usable
 * `href`, an image without a usable `src`): it is then unwrapped (a link's text stays) or dropped.
 */
export function keptAttributes(
  name: string,
  raw: ReadonlyMap<string, string>,
  baseUrl: string | null,
): string | null {
  const out: string[] = [];
  const text = (attr: string, maxLength = 1000): void => {
    const value = raw.get(attr);
    if (value === undefined) return;
    const decoded = attributeText(value, maxLength);
    if (decoded !== '') out.push(` ${attr}="${escapeAttribute(decoded)}"`);
  };
  const integer = (attr: string, max: number): void => {
    const value = raw.get(attr)?.trim();
    if (value === undefined || !/^\d{1,6}$/.test(value)) return;
    const n = Number(value);
    if (n >= 1 && n <= max) out.push(` ${attr}="${n}"`);
  };

  switch (name) {
    case 'a': {
      const href = safeUrl(raw.get('href'), baseUrl);
      if (href === null) return null;
      out.push(` href="${escapeAttribute(href)}"`);
      text('title');
      out.push(` rel="${LINK_REL}"`);
      break;
    }
    case 'img': {
      let src = safeUrl(raw.get('src'), baseUrl);
      for (const lazy of LAZY_SOURCES) src ??= safeUrl(raw.get(lazy), baseUrl);
      if (src === null) return null;
      out.push(` src="${escapeAttribute(src)}"`);
      text('alt');
      text('title');
      integer('width', 10_000);
      integer('height', 10_000);
      break;
    }
    case 'abbr':
      text('title');
      break;
    case 'time':
      text('datetime', 100);
      break;
    case 'td':
    case 'th':
      integer('colspan', 1000);
      integer('rowspan', 65_534);
      break;
    default:
      break;
  }
  return out.join('');
}

/**
 * A text attribute's value: entities decoded, control characters removed, trimmed, cut to
 * `maxLength` (a surrogate pair cut in half becomes U+FFFD, so the result is stable when
 * sanitised again).
 */
function attributeText(value: string, maxLength: number): string {
  const text = removeControlChars(decodeHTMLAttribute(value)).trim();
  return text.length <= maxLength ? text : removeControlChars(text.slice(0, maxLength)).trim();
}

/**
 * Defence in depth for parsers laxer than WHATWG's (old browsers took a backtick for a quote):
 * a value naming a script scheme anywhere, once blanks, quotes and backticks are removed, is
 * refused even when it would resolve to a harmless relative http(s) URL.
 */
const SCRIPT_SCHEME = /(?:java|vb|live)script:|^data:/i;
const JUNK = /[\s`'"\u0000-\u001f]+/g;

/**
 * An attribute value as an absolute http(s) URL (resolved against `baseUrl` when relative), or
 * null. Entities are decoded first (`&#106;avascript:` is `javascript:`) and control characters
 * removed; the WHATWG URL parser then strips surrounding spaces and embedded tabs and newlines
 * exactly as a browser would, so every obfuscated spelling of another scheme is seen as that
 * scheme and refused. The result is the parser's serialisation, which never holds a quote, `<`
 * or `>`.
 */
function safeUrl(value: string | undefined, baseUrl: string | null): string | null {
  if (value === undefined) return null;
  const decoded = removeControlChars(decodeHTMLAttribute(value)).trim();
  if (decoded === '' || decoded.length > 8192 || SCRIPT_SCHEME.test(decoded.replace(JUNK, ''))) return null;
  const url = baseUrl === null ? parseHttpUrl(decoded) : parseHttpUrl(decoded, baseUrl);
  return url === null ? null : url.href;
}

export function escapeText(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replaceAll('"', '&quot;');
}
