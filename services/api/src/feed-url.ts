/** Feed URLs longer than this are refused: no real feed has one, and it bounds what is stored. */
export const MAX_FEED_URL_LENGTH = 2048;

/**
 * Whether `raw` can be subscribed to, and the form it is stored in (feedUrl) if so; else why not,
 * in words that never repeat the URL (it may hold a password). The one check for the API, the
 * CLI and OPML imports.
 */
export function checkFeedUrl(raw: string): { url: string } | { reason: string } {
  const text = raw.trim();
  if (text.length > MAX_FEED_URL_LENGTH) return { reason: `URL longer than ${MAX_FEED_URL_LENGTH} characters` };
  if (!URL.canParse(text)) return { reason: 'not an absolute URL' };
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: `only http and https feeds, not ${url.protocol}` };
  // Not sent, nor stored.
  if (url.username !== '' || url.password !== '') return { reason: 'a user name or password in the URL is not supported' };
  return { url: feedUrl(url.href) };
}

/**
 * The form a feed's URL is stored in, so that one feed is one subscription: the fragment, which
 * never reaches the server, and an empty query (`feed.xml?`, `feed.xml?&`) are dropped; `URL`
 * has already lower-cased the host and resolved dot segments. Anything else in the query stays:
 * servers answer differently to it.
 */
export function feedUrl(href: string): string {
  const url = new URL(href);
  url.hash = '';
  // `?`, `?&`: a query with nothing in it.
  if (url.search.replace(/^\?/, '').split('&').every((part) => part === '')) url.search = '';
  return url.href;
}
