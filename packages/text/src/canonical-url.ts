import { parseHttpUrl } from './parse-http-url.js';
import { isTrackingParam } from './tracking-params.js';

/**
 * The canonical form of an article or feed link, so the same page reached through different
 * links is recognised as one. Returns null for anything but http(s) (`javascript:`, `data:`,
 * `mailto:`, unparseable input), so it doubles as the gate that keeps dangerous links out.
 *
 * Deliberately conservative: it only applies rewrites that cannot point at a different page.
 * - Parsed by the WHATWG URL parser (resolved against `base` when given), which lower-cases the
 *   host, converts international names to punycode, drops default ports (`:80` for http, `:443`
 *   for https), resolves `.`/`..` segments and percent-encodes consistently.
 * - The fragment is dropped: it addresses a part of the page, not another page. A `#!` "hashbang"
 *   fragment is kept: on such (old AJAX) sites the fragment *is* the page.
 * - Tracking parameters (`utm_*`, `fbclid`, … see `isTrackingParam`) are removed, the remaining
 *   ones stably sorted by decoded name (code-unit order, never locale; duplicates keep their order), kept
 *   byte-for-byte as written (no re-encoding: `?a` stays `?a`, not `?a=`). An empty `?` goes.
 *
 * Kept as given, because servers differ and rewriting them could merge distinct pages:
 * - `www.` (www.example.com and example.com may serve different sites; `siteKey` is the place for
 *   outlet identity);
 * - the scheme (some sites serve different content, or nothing, on http and https);
 * - a trailing `/`, `index.html`, the case of the path (paths are case-sensitive on most servers);
 * - credentials and every other query parameter.
 */
export function canonicalUrl(url: string, base?: string): string | null {
  const parsed = parseHttpUrl(url.trim(), base);
  if (parsed === null) return null;
  if (!parsed.hash.startsWith('#!')) parsed.hash = '';
  parsed.search = canonicalQuery(parsed.search);
  return parsed.href;
}

/** `search` is `''` or `?…` as returned by URL. Returns the new search string, `''` if empty. */
function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  const kept = search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => ({ pair, name: paramName(pair) }))
    .filter(({ name }) => !isTrackingParam(name));
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept.length === 0 ? '' : `?${kept.map(({ pair }) => pair).join('&')}`;
}

/** The decoded name of a `name=value` pair; the raw name if it is not valid percent-encoding. */
function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq === -1 ? pair : pair.slice(0, eq)).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
