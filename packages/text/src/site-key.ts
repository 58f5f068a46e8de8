import { parseHttpUrl } from './parse-http-url.js';

/**
 * Identifies an outlet by its host: lower case (the URL parser does that, and converts
 * international names to punycode), without a trailing dot and without a leading `www.`
 * (`https://www.BBC.co.uk/news` → `bbc.co.uk`). Other subdomains are kept (`news.bbc.co.uk`,
 * `edition.cnn.com` are distinct keys). `www.` is kept when nothing but a top-level domain would
 * remain (`www.com`). null for anything but an absolute http(s) URL.
 */
export function siteKey(url: string): string | null {
  const parsed = parseHttpUrl(url);
  if (parsed === null) return null;
  const host = parsed.hostname.replace(/\.$/, '');
  if (host.startsWith('www.') && host.indexOf('.', 4) !== -1) return host.slice(4);
  return host;
}
