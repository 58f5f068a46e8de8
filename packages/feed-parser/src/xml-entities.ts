import { mapOutsideCdata } from './cdata.js';
import { HTML_ENTITIES } from './html-entities.js';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** An ampersand and whatever entity-like text follows it (name or number, optional semicolon). */
const AMPERSAND = /&(#[xX][0-9A-Fa-f]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,31})?(;)?/g;

/** Whether a code point may appear in an XML 1.0 document. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function numericReference(ref: string): string {
  const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  return `&#${isXmlChar(code) ? code : 0xfffd};`;
}

function rewriteAmpersand(_match: string, ref: string | undefined, semicolon: string | undefined): string {
  if (ref === undefined) return '&amp;';
  if (ref.startsWith('#')) return numericReference(ref);
  if (semicolon === undefined) return `&amp;${ref}`;
  if (XML_ENTITIES.has(ref)) return `&${ref};`;
  const code = HTML_ENTITIES.get(ref);
  return code === undefined ? `&amp;${ref};` : `&#${code};`;
}

const XML_ENTITY_NAMES = ['amp;', 'lt;', 'gt;', 'quot;', 'apos;'];

/**
 * Whether the `&` at `at` starts a reference that rewriteAmpersand would leave exactly as it is:
 * one of the five XML entities, or a decimal reference without leading zeros to a valid code point.
 */
function isCleanReference(text: string, at: number): boolean {
  if (text.charCodeAt(at + 1) !== 0x23 /* # */) return XML_ENTITY_NAMES.some((name) => text.startsWith(name, at + 1));
  let code = 0;
  let i = at + 2;
  if (text.charCodeAt(i) === 0x30 /* 0 */) return false;
  for (; i < at + 10; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    code = code * 10 + digit;
  }
  return i > at + 2 && text.charCodeAt(i) === 0x3b /* ; */ && isXmlChar(code);
}

/** Rewrites the ampersands of one stretch outside CDATA; most feeds' are all clean, so look first. */
export function rewriteSegment(segment: string): string {
  for (let at = segment.indexOf('&'); at >= 0; at = segment.indexOf('&', at + 1)) {
    if (!isCleanReference(segment, at)) return segment.slice(0, at) + segment.slice(at).replace(AMPERSAND, rewriteAmpersand);
  }
  return segment;
}

/**
 * Makes the ampersands of a sloppy feed acceptable to a strict XML parser, outside CDATA sections:
 * HTML named entities (`&nbsp;`, `&eacute;`) become numeric references, unknown names and bare `&`
 * become `&amp;` (so their text survives), numeric references lose nothing but invalid code points
 * (→ U+FFFD) and gain a missing semicolon. Well-formed XML passes through unchanged.
 */
export function fixXmlEntities(xml: string): string {
  return xml.includes('&') ? mapOutsideCdata(xml, rewriteSegment) : xml;
}

/** Characters XML 1.0 forbids outright (C0 controls but tab, LF and CR; U+FFFE, U+FFFF). */
const INVALID_XML_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

/**
 * Removes characters XML forbids (a pasted vertical tab or backspace; CDATA sections included). xml2js
 * lets them through into titles and text, where they are invisible junk at best. One scan, and no
 * copy, for the usual clean document.
 */
export function removeInvalidXmlChars(xml: string): string {
  return INVALID_XML_CHARS.test(xml) ? xml.replace(new RegExp(INVALID_XML_CHARS.source, 'g'), '') : xml;
}
