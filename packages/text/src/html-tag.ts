/**
 * Reading one HTML tag (`<name attr=value …>` or `</name>`) out of a string, following the HTML
 * tokenizer's rules closely enough that what a browser would see as one tag is one tag here:
 * the name runs to whitespace, `/` or `>` (so `<scr<script>` is one tag named "scr<script"),
 * attribute values may be double-, single- or un-quoted, a `>` inside a quoted value does not end
 * the tag, and the first occurrence of an attribute wins.
 */
export interface HtmlTag {
  /** ASCII-lowercased tag name. */
  name: string;
  closing: boolean;
  /** Written `<name … />`. */
  selfClosing: boolean;
  /** Raw (still entity-encoded) attribute values by ASCII-lowercased name. */
  attributes: Map<string, string>;
  /** Index just past the closing `>`. */
  end: number;
}

/**
 * Reads the tag starting at `lt` (which must hold `<` followed by an ASCII letter, or `</` and a
 * letter). null when the input ends before the tag does: a browser drops such a tag and
 * everything after it.
 *
 * A quoted value that is never closed ends at the next `>` instead of swallowing the rest of the
 * document; each quote is then searched for once, so the scan stays linear.
 */
export function readTag(html: string, lt: number): HtmlTag | null {
  const length = html.length;
  const closing = html.charCodeAt(lt + 1) === 0x2f; /* / */
  let i = closing ? lt + 2 : lt + 1;
  const nameStart = i;
  while (i < length && !isNameEnd(html.charCodeAt(i))) i++;
  const name = asciiLower(html.slice(nameStart, i));
  const attributes = new Map<string, string>();
  let selfClosing = false;

  while (i < length) {
    const code = html.charCodeAt(i);
    if (code === 0x3e /* > */) return { name, closing, selfClosing, attributes, end: i + 1 };
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (code === 0x2f /* / */) {
      selfClosing = html.charCodeAt(i + 1) === 0x3e;
      i++;
      continue;
    }
    selfClosing = false;
    // An attribute name; a leading `=` belongs to it (HTML's rule), any later one ends it.
    const attrStart = i;
    i++;
    while (i < length && !isAttributeNameEnd(html.charCodeAt(i))) i++;
    const attrName = asciiLower(html.slice(attrStart, i));
    let j = skipSpaces(html, i);
    let value = '';
    if (html.charCodeAt(j) === 0x3d /* = */) {
      j = skipSpaces(html, j + 1);
      const quote = html[j];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, j + 1);
        if (close === -1) {
          const gt = html.indexOf('>', j + 1);
          if (gt === -1) return null;
          if (!attributes.has(attrName)) attributes.set(attrName, html.slice(j + 1, gt));
          return { name, closing, selfClosing: false, attributes, end: gt + 1 };
        }
        value = html.slice(j + 1, close);
        j = close + 1;
      } else {
        const valueStart = j;
        while (j < length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 0x3e) j++;
        value = html.slice(valueStart, j);
      }
      i = j;
    }
    if (!attributes.has(attrName)) attributes.set(attrName, value);
  }
  return null;
}

/** Lower-cases A–Z only, as HTML does: `toLowerCase` would map e.g. the Kelvin sign to "k". */
export function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) : text;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isNameEnd(code: number): boolean {
  return code === 0x3e || code === 0x2f || isSpace(code);
}

function isAttributeNameEnd(code: number): boolean {
  return code === 0x3d || isNameEnd(code);
}

function skipSpaces(html: string, from: number): number {
  let i = from;
  while (i < html.length && isSpace(html.charCodeAt(i))) i++;
  return i;
}
