import { decodeHTML } from 'entities';
import { removeControlChars } from './remove-control-chars.js';

/** Elements whose content is never text for a reader: dropped together with their content. */
const DROPPED_ELEMENTS = new Set(['script', 'style', 'noscript', 'template']);

/** Elements that end a line. */
const LINE_ELEMENTS = new Set(['br', 'div', 'li', 'dd', 'dt', 'tr', 'caption', 'figcaption', 'option']);

/** Elements that separate paragraphs (a blank line). */
const PARAGRAPH_ELEMENTS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'ul', 'ol', 'dl', 'table',
  'section', 'article', 'aside', 'header', 'footer', 'nav', 'main', 'figure', 'hr', 'address',
  'details', 'summary', 'fieldset', 'form',
]);

/** Elements whose boundaries separate words without breaking the line (table cells). */
const SPACE_ELEMENTS = new Set(['td', 'th']);

/*
 * Separators are emitted as markers and resolved at the end, so adjacent ones merge instead of
 * adding up (`</li><li>` is one line break, `</p><p>` one blank line). Text segments never contain
 * either marker: all their whitespace has become plain spaces by then.
 */
const LINE_BREAK = '\n';
const PARAGRAPH_BREAK = '\u2029';
const BREAK_RUN = /[ \n\u2029]*[\n\u2029][ \n\u2029]*/g;

/**
 * Converts an HTML fragment (a feed entry's title, summary or content) to plain text.
 *
 * A small single-pass scanner, linear in the input, rather than a full HTML parser: text is all we
 * need, and it must never throw on the malformed markup feeds are full of. It
 * - drops tags, comments, doctypes and processing instructions, and the whole content of
 *   `script`, `style`, `noscript` and `template` (an unclosed one swallows the rest, as in a
 *   browser; a self-closed `<script …/>` drops nothing);
 * - turns block elements into line breaks (`br`, `div`, `li`, …) or paragraph breaks (`p`,
 *   headings, lists, …), and table cells into spaces; inline elements vanish without a space
 *   (`<b>news</b>room` is "newsroom");
 * - keeps a `<` that cannot start a tag (`a < b`, `<3`) as text; a tag left open at the end of
 *   the input is dropped;
 * - decodes every HTML entity, including legacy ones without a semicolon (`&amp`, `&copy`);
 *   the content of `<![CDATA[…]]>` is kept verbatim;
 * - removes control characters, collapses runs of whitespace to one space (at most one blank line
 *   between paragraphs) and trims.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  const length = html.length;
  let i = 0;

  while (i < length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push(textSegment(html.slice(i)));
      break;
    }
    if (lt > i) out.push(textSegment(html.slice(i, lt)));

    if (html.startsWith('<!--', lt)) {
      i = endAfter(html, '-->', lt + 4);
      continue;
    }
    if (html.startsWith('<![CDATA[', lt)) {
      const end = html.indexOf(']]>', lt + 9);
      out.push(whitespaceToSpace(removeControlChars(html.slice(lt + 9, end === -1 ? length : end))));
      i = end === -1 ? length : end + 3;
      continue;
    }
    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      i = endAfter(html, '>', lt + 2);
      continue;
    }

    const closing = next === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isAsciiLetter(html.charCodeAt(nameStart))) {
      out.push('<');
      i = lt + 1;
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < length && !isNameTerminator(html.charCodeAt(nameEnd))) nameEnd++;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const tagEnd = findTagEnd(html, nameEnd);
    if (tagEnd === -1) break; // an unclosed tag at the end of the input: dropped

    i = tagEnd + 1;
    // `<script src="…"/>` has no content to drop; skipping to a `</script>` that never comes
    // would swallow the article.
    if (!closing && DROPPED_ELEMENTS.has(name) && html.charCodeAt(tagEnd - 1) !== 0x2f /* / */) {
      i = skipElementContent(html, name, i);
      continue;
    }
    out.push(separatorFor(name));
  }

  return collapseWhitespace(out.join(''));
}

function textSegment(raw: string): string {
  return whitespaceToSpace(removeControlChars(decodeHTML(raw)));
}

/** In HTML text every whitespace run (including source line breaks and `&nbsp;`) is one space. */
function whitespaceToSpace(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function separatorFor(name: string): string {
  if (PARAGRAPH_ELEMENTS.has(name)) return PARAGRAPH_BREAK;
  if (LINE_ELEMENTS.has(name)) return LINE_BREAK;
  if (SPACE_ELEMENTS.has(name)) return ' ';
  return '';
}

/** Resolves separator markers: a run holding a paragraph break is a blank line, else a newline. */
function collapseWhitespace(text: string): string {
  return text
    .replace(/ {2,}/g, ' ')
    .replace(BREAK_RUN, (run) => (run.includes(PARAGRAPH_BREAK) ? '\n\n' : '\n'))
    .trim();
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Tag names end at whitespace, `/` or `>`. */
function isNameTerminator(code: number): boolean {
  return code === 0x3e || code === 0x2f || code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** The index just past `needle` at or after `from`, or the end of the input if it never comes. */
function endAfter(html: string, needle: string, from: number): number {
  const at = html.indexOf(needle, from);
  return at === -1 ? html.length : at + needle.length;
}

/**
 * The index of the `>` closing a tag whose attributes start at `from`, honouring quoted attribute
 * values (`<a title="x > y">`). If a quote is never closed, the first `>` ends the tag instead, so
 * one stray quote cannot swallow the rest of the document. -1 when there is no `>` at all.
 */
function findTagEnd(html: string, from: number): number {
  for (let i = from; i < html.length; i++) {
    const code = html.charCodeAt(i);
    if (code === 0x3e) return i;
    if (code === 0x3d /* = */) {
      let v = i + 1;
      while (v < html.length && /\s/.test(html[v] ?? '')) v++;
      const quote = html[v];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, v + 1);
        if (close === -1) return html.indexOf('>', from);
        i = close;
      }
    }
  }
  return -1;
}

/** Skips past `</name …>` (case-insensitive); an element never closed runs to the end. */
function skipElementContent(html: string, name: string, from: number): number {
  const closeTag = new RegExp(`</${name}(?=[\\s/>])`, 'gi');
  closeTag.lastIndex = from;
  const match = closeTag.exec(html);
  if (match === null) return html.length;
  const end = html.indexOf('>', match.index);
  return end === -1 ? html.length : end + 1;
}
