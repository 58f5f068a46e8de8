/**
 * String hygiene for feed output: every string that reaches a feed passes through here first.
 */

/**
 * Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE, U+FFFF) and unpaired
 * surrogates (not characters at all; they would make the UTF-8 output invalid).
 */
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ILLEGAL_ONE = new RegExp(XML_ILLEGAL.source);

/** Removes every character that may not appear in an XML 1.0 document. */
export function stripXmlIllegal(value: string): string {
  return value.replace(XML_ILLEGAL, '');
}

/** True when `value` contains a character that may not appear in an XML 1.0 document. */
export function hasXmlIllegal(value: string): boolean {
  return XML_ILLEGAL_ONE.test(value);
}

/** Strips XML-illegal characters and trims; `null`/`undefined` become the empty string. */
export function cleanText(value: string | null | undefined): string {
  return value == null ? '' : stripXmlIllegal(String(value)).trim();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * Returns the normalised absolute URL when `raw` is an http(s) URL, else `null`.
 * `javascript:`, `data:`, relative and unparsable URLs are all refused. The WHATWG
 * serialisation percent-encodes spaces, quotes and angle brackets, so the result is safe
 * inside a quoted XML/HTML attribute once `&` is escaped.
 */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  const text = cleanText(raw);
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}

/** A usable Date, or `null` for null/undefined/Invalid Date. */
export function validDate(value: Date | null | undefined): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}
