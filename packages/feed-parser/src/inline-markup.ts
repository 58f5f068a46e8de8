import { asCdata, mapOutsideCdata } from './cdata.js';

/**
 * Text elements that hold markup as child elements instead of escaped text: Atom inline XHTML
 * (`type="xhtml"`, Atom 0.3 `mode="xml"`) and the common "naked HTML" mistake
 * (`<description>Hello <b>world</b></description>`). xml2js keeps an element's text apart from
 * its child elements, so such content arrives scrambled or truncated ("Hello " + "world").
 * Before parsing, their inner markup is moved verbatim into a CDATA section (and XHTML relabelled
 * `type="html"`), which is what every consumer of summary/contentHtml wants anyway.
 */

const TEXT_ELEMENT =
  /<(content:encoded|atom:content|atom:summary|dc:description|description|content|summary|title|subtitle|tagline)(\s[^>]*)?>/g;
const INLINE_XML_TYPE = /\btype\s*=\s*["'][^"']*xhtml[^"']*["']|\bmode\s*=\s*["']xml["']/i;

const XHTML_TYPE = /\btype\s*=\s*["'](?:xhtml|application\/xhtml\+xml)["']/i;
const DIV_TAG = /<(\/?)(?:[\w.-]+:)?div(?=[\s/>])[^>]*>/g;

/**
 * The content of Atom's XHTML wrapper. RFC 4287 §4.1.3.3: `type="xhtml"` content is one XHTML
 * `div`, and "the XHTML div element itself MUST NOT be considered part of the content". Left as
 * it is when the body is not exactly one div (then it is not what the RFC describes).
 */
export function unwrapXhtmlDiv(body: string): string {
  if (!/^<(?:[\w.-]+:)?div[\s>]/.test(body)) return body;
  DIV_TAG.lastIndex = 0;
  let depth = 0;
  let openEnd = -1;
  for (let m = DIV_TAG.exec(body); m !== null; m = DIV_TAG.exec(body)) {
    if (m[1] === '/') depth--;
    else if (!m[0].endsWith('/>')) depth++;
    if (openEnd < 0) openEnd = m.index + m[0].length;
    if (depth === 0) return m.index + m[0].length === body.length ? body.slice(openEnd, m.index).trim() : body;
  }
  return body;
}

function htmlAttributes(attributes: string): string {
  if (!INLINE_XML_TYPE.test(attributes)) return attributes;
  return attributes
    .replace(/\btype\s*=\s*["'][^"']*["']/i, 'type="html"')
    .replace(/\bmode\s*=\s*["']xml["']/i, 'mode="escaped"');
}

/**
 * Where the element opened just before `from` closes, counting nested elements of the same name
 * (`<summary>` inside XHTML `<details>` inside an Atom `<summary type="xhtml">`); -1 if it does not.
 */
function findClose(segment: string, name: string, from: number): number {
  const first = segment.indexOf(`</${name}`, from);
  // The common case: plain text up to the first closing tag, so nothing can be nested.
  if (first < 0 || segment.lastIndexOf('<', first - 1) < from) return first;
  // Names are fixed literals from TEXT_ELEMENT (letters and a colon): nothing to escape.
  const tags = new RegExp(`<(/?)${name}(?=[\\s/>])([^>]*)>`, 'g');
  tags.lastIndex = from;
  let depth = 1;
  for (let m = tags.exec(segment); m !== null; m = tags.exec(segment)) {
    if (m[1] === '/') depth--;
    else if (!m[2]?.endsWith('/')) depth++;
    if (depth === 0) return m.index;
  }
  return -1;
}

/** Rewrites one stretch of XML that contains no CDATA section (unchanged when nothing needs wrapping). */
export function wrapSegment(segment: string): string {
  if (!segment.includes('<')) return segment;
  let out = '';
  let pos = 0;
  // One shared pattern: this function does not re-enter itself, and lastIndex is reset here.
  const pattern = TEXT_ELEMENT;
  pattern.lastIndex = 0;
  // Names with no closing tag left in this stretch (so malformed input cannot make us rescan it).
  let unclosed: Set<string> | null = null;
  for (let m = pattern.exec(segment); m !== null; m = pattern.exec(segment)) {
    const [openTag, name = '', attributes = ''] = m;
    if (attributes.trimEnd().endsWith('/') || unclosed?.has(name)) continue;
    const bodyStart = m.index + openTag.length;
    const close = findClose(segment, name, bodyStart);
    // No closing tag in this stretch: the element holds a CDATA section (or is malformed); leave it.
    if (close < 0) {
      (unclosed ??= new Set()).add(name);
      continue;
    }
    const lt = segment.indexOf('<', bodyStart);
    if (lt >= 0 && lt < close) {
      const body = segment.slice(bodyStart, close).trim();
      const inner = XHTML_TYPE.test(attributes) ? unwrapXhtmlDiv(body) : body;
      out += `${segment.slice(pos, m.index)}<${name}${htmlAttributes(attributes)}>${asCdata(inner)}`;
      pos = close;
    }
    pattern.lastIndex = close;
  }
  pattern.lastIndex = 0;
  return pos === 0 ? segment : out + segment.slice(pos);
}

export function wrapInlineMarkup(xml: string): string {
  return mapOutsideCdata(xml, wrapSegment);
}
