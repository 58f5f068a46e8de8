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

/** Whether a URL carries a user name or password, which newsfold does not send (nor store). */
export function hasCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}
