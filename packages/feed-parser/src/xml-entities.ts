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

function rewriteSegment(segment: string): string {
  return segment.includes('&') ? segment.replace(AMPERSAND, rewriteAmpersand) : segment;
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
