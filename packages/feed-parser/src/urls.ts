/** URL resolution for feed links: relative references, xml:base chains, and http(s)-only output. */

function tryUrl(href: string, base?: string | null): URL | null {
  try {
    return base ? new URL(href, base) : new URL(href);
  } catch {
    return null;
  }
}

const ABSOLUTE_HTTP = /^https?:\/\//i;

/**
 * An absolute http(s) URL that the URL parser would hand back unchanged: lower-case scheme and
 * host (ASCII labels, the last one not numeric, so no IPv4 or punycode rewriting), no port or
 * credentials, a path, and only characters no part of it percent-encodes. NOT_CANONICAL rules
 * out the rest the parser rewrites: dot segments (`/./`, `/../`, `%2e`) and `xn--` labels.
 * Most feed links are like this, and spare the parse (checked against URL in urls.test.ts).
 */
const CANONICAL_HTTP = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[\w\-.~!$&()*+,;=:@/?#%]*$/;
const NOT_CANONICAL = /\/\.|%2e|xn--/i;

/** Whether `new URL(href).href === href` is certain without parsing. */
export function isCanonicalHttpUrl(href: string): boolean {
  return CANONICAL_HTTP.test(href) && !NOT_CANONICAL.test(href);
}

/**
 * Resolves `href` against `base` and returns it only when the result is an absolute http(s) URL.
 * Whitespace inside links (feeds wrap long `<link>`s) is dropped; a protocol-relative link with no
 * base is taken as https.
 */
export function resolveHttpUrl(href: unknown, base?: string | null): string | null {
  if (typeof href !== 'string') return null;
  const cleaned = href.trim().replace(/[\t\n\r]+/g, '');
  if (cleaned === '') return null;
  if (isCanonicalHttpUrl(cleaned)) return cleaned;
  // An absolute http(s) link ignores its base: skip parsing the base (most links are absolute).
  const absolute = ABSOLUTE_HTTP.test(cleaned);
  const url = tryUrl(cleaned, absolute ? null : base) ?? (cleaned.startsWith('//') ? tryUrl(`https:${cleaned}`) : null);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  return url.href;
}

/**
 * Applies an `xml:base` (or any base-like value) on top of an inherited base. Returns the new base,
 * or the inherited one when the value is absent or unusable. Unlike links, bases may be any scheme.
 */
export function resolveBase(value: unknown, inherited: string | null): string | null {
  if (typeof value !== 'string' || value.trim() === '') return inherited;
  return tryUrl(value.trim(), inherited)?.href ?? inherited;
}
