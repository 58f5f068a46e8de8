import { decodeHTML } from 'entities';
import { isAsciiLetter, readTag } from './html-tag.js';
import {
  DROPPED_WITH_CONTENT,
  RAW_TEXT_ELEMENTS,
  VOID_ELEMENTS,
  escapeText,
  keptAttributes,
  keptName,
} from './html-policy.js';
import { OpenElements } from './open-elements.js';
import { parseHttpUrl } from './parse-http-url.js';
import { removeControlChars } from './remove-control-chars.js';

export interface SanitizeHtmlOptions {
  /** Absolute http(s) URL that relative `href`/`src` values are resolved against. */
  baseUrl?: string | null;
}

/**
 * Reduces untrusted article HTML to an allow-listed subset that is safe to store and republish.
 *
 * - Kept: p, br, a, strong, b, em, i, u, s, blockquote, q, cite, ul, ol, li, h2–h6 (h1 becomes
 *   h2), pre, code, figure, figcaption, img, table, thead, tbody, tr, th, td, hr, sub, sup,
 *   small, abbr, time.
 * - Dropped with their content: script, style, iframe, object, form, button, svg, math, template,
 *   noscript and similar (see `DROPPED_WITH_CONTENT`). Every other element is unwrapped: its tags
 *   go, its text stays. Comments, CDATA sections, doctypes and processing instructions go.
 * - Attributes: a[href,title], img[src,alt,title,width,height], abbr[title], time[datetime],
 *   td/th[colspan,rowspan]; nothing else (no on*, style, class, id, srcset…). `href`/`src` are
 *   resolved against `baseUrl` and kept only when they are http(s) URLs, however the scheme is
 *   disguised; a link without one is unwrapped, an image without one dropped. Links get
 *   `rel="nofollow noopener noreferrer"`.
 * - Output is well-formed: every element closed, in order (misnested input is repaired), void
 *   elements written `<br>`, attribute values double-quoted and escaped, text escaped, entities
 *   decoded once and re-escaped minimally. Sanitising the output again changes nothing.
 *
 * A single linear pass of a tolerant tokenizer (no DOM); it never throws (on an internal error
 * the result is the empty string, never the unsanitised input).
 */
export function sanitizeHtml(html: string, options: SanitizeHtmlOptions = {}): string {
  try {
    const base = options.baseUrl ? (parseHttpUrl(options.baseUrl)?.href ?? null) : null;
    return sanitizeUnguarded(typeof html === 'string' ? html : '', base);
  } catch {
    return '';
  }
}

/** sanitizeHtml without its safety net, so that tests can see an internal error (not exported by the package). */
export function sanitizeUnguarded(html: string, baseUrl: string | null): string {
  const out: string[] = [];
  const elements = new OpenElements(out);
  const length = html.length;
  let i = 0;

  while (i < length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push(text(html.slice(i)));
      break;
    }
    if (lt > i) out.push(text(html.slice(i, lt)));

    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      i = skipMarkupDeclaration(html, lt);
      continue;
    }
    if (next === 0x3f /* ? */) {
      i = endAfter(html, '>', lt + 2);
      continue;
    }
    if (next === 0x2f /* / */ && !isAsciiLetter(html.charCodeAt(lt + 2))) {
      // `</>` is nothing; `</ x>` or `</1>` is a bogus comment.
      i = endAfter(html, '>', lt + 2);
      continue;
    }
    if (next !== 0x2f && !isAsciiLetter(next)) {
      out.push('&lt;');
      i = lt + 1;
      continue;
    }

    const tag = readTag(html, lt);
    if (tag === null) break; // the input ends inside a tag: a browser drops it, and so do we
    i = tag.end;
    const name = keptName(tag.name);
    if (tag.closing) {
      if (name !== null && !VOID_ELEMENTS.has(name)) elements.close(name);
      continue;
    }
    if (DROPPED_WITH_CONTENT.has(tag.name)) {
      if (!tag.selfClosing) i = skipContent(html, tag.name, i);
      continue;
    }
    if (name === null) continue;
    const attributes = keptAttributes(name, tag.attributes, baseUrl);
    if (attributes !== null) elements.open(name, attributes);
  }

  elements.finish();
  return out.join('');
}

/** Characters that make a text run need more than copying: entities, markup, controls. */
const SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

function text(raw: string): string {
  if (!SPECIAL.test(raw)) return raw;
  return escapeText(removeControlChars(raw.includes('&') ? decodeHTML(raw) : raw));
}

/** Skips `<!-- … -->`, `<![CDATA[ … ]]>` or `<!DOCTYPE …>` (any other `<!…>`) starting at `lt`. */
function skipMarkupDeclaration(html: string, lt: number): number {
  if (html.startsWith('<!--', lt)) {
    if (html.startsWith('>', lt + 4)) return lt + 5;
    if (html.startsWith('->', lt + 4)) return lt + 6;
    const end = html.indexOf('--', lt + 4);
    for (let at = end; at !== -1; at = html.indexOf('--', at + 1)) {
      if (html.startsWith('-->', at)) return at + 3;
      if (html.startsWith('--!>', at)) return at + 4;
    }
    return html.length;
  }
  if (html.startsWith('<![CDATA[', lt)) return endAfter(html, ']]>', lt + 9);
  return endAfter(html, '>', lt + 2);
}

/** The index just past `needle` at or after `from`, or the end of the input. */
function endAfter(html: string, needle: string, from: number): number {
  const at = html.indexOf(needle, from);
  return at === -1 ? html.length : at + needle.length;
}

const endTagPatterns = new Map<string, RegExp>();

/**
 * Skips the content of a dropped element, and its end tag. Raw-text elements (script, style…)
 * end at the first `</name`; the others at the end tag matching their start, counting nested
 * elements of the same name. Never closed: everything to the end of the input is dropped.
 */
function skipContent(html: string, name: string, from: number): number {
  let pattern = endTagPatterns.get(name);
  if (pattern === undefined) {
    pattern = new RegExp(`<(/?)${name}(?=[\\s/>])`, 'gi');
    endTagPatterns.set(name, pattern);
  }
  const raw = RAW_TEXT_ELEMENTS.has(name);
  let depth = 1;
  pattern.lastIndex = from;
  for (let match = pattern.exec(html); match !== null; match = pattern.exec(html)) {
    if (match[1] !== '/') {
      if (!raw) depth++;
    } else if (raw || --depth === 0) {
      return endAfter(html, '>', match.index);
    }
  }
  return html.length;
}
