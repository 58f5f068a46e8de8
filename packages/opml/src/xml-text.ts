/** Characters XML 1.0 forbids anywhere: controls other than tab/LF/CR, and U+FFFE/U+FFFF. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Where the first character XML forbids stands in `text`, or -1. */
export function forbiddenCharAt(text: string): number {
  return text.search(FORBIDDEN);
}

/** Removes what XML cannot carry; lone surrogates too (the costly check only when there are any). */
function xmlChars(value: string): string {
  const cleaned = value.replace(FORBIDDEN, '');
  return SURROGATE.test(cleaned) ? cleaned.replace(LONE_SURROGATE, '') : cleaned;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;',
  // Escaped so attribute-value normalisation in the reading parser cannot turn them into spaces.
  '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

/** Escapes a string for a double-quoted XML attribute value, dropping characters XML forbids. */
export function escapeAttribute(value: string): string {
  return xmlChars(value).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

/** Escapes a string for XML element content, dropping characters XML forbids. */
export function escapeText(value: string): string {
  return xmlChars(value).replace(/[&<>]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes XML's five predefined entities and numeric character references, in one pass (so
 * `&amp;lt;` becomes `&lt;`, not `<`). Anything else — a bare `&`, an HTML entity such as `&nbsp;`
 * that some exporters write, a reference to a code point XML forbids — is left as written. The
 * parser runs with entity processing off, so this is the only decoding, and it cannot expand.
 */
export function decodeXmlEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g, (match, dec, hex, name) => {
    if (typeof name === 'string') return PREDEFINED[name] ?? match;
    const codePoint = typeof dec === 'string' ? Number.parseInt(dec, 10) : Number.parseInt(String(hex), 16);
    return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : match;
  });
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
