import { decodeBody } from '@newsfold/feed-parser';
import { discoverFeedLinks } from './discover-feeds.js';
import { FetchError } from './fetch-error.js';
import { fetchUrl, type FetchOptions, type FetchResult } from './fetch-url.js';

export type FeedDocumentResult = FetchResult & {
  /** Set when `url` served an HTML page and the feed was found through its alternate link. */
  discoveredFrom?: string;
};

/**
 * Fetches a feed, or a web page that announces one: when the answer is HTML, the first
 * `<link rel="alternate">` feed link is fetched instead (same limits, the same overall
 * deadline) and returned with `url` set to the feed's address and `discoveredFrom` to the
 * page's. HTML without such a link is `not_a_feed`. Only one level: a feed link that serves
 * HTML again is `not_a_feed` too.
 */
export async function fetchFeedDocument(url: string, options: FetchOptions): Promise<FeedDocumentResult> {
  const started = Date.now();
  const page = await fetchUrl(url, options);
  if (page.notModified || !looksLikeHtml(page.body, page.contentType)) return page;
  const links = discoverFeedLinks(decodeBody(page.body, page.contentType), page.url);
  const first = links[0];
  if (!first) throw new FetchError('not_a_feed', `${page.url} is an HTML page that links to no feed`, { status: page.status });
  const timeoutMs = options.timeoutMs - (Date.now() - started);
  if (timeoutMs <= 0) throw new FetchError('timeout', `no complete answer within ${options.timeoutMs} ms`);
  // The validators belonged to the page, not to the feed it links to.
  const feed = await fetchUrl(first.url, { ...options, timeoutMs, etag: null, lastModified: null });
  if (!feed.notModified && looksLikeHtml(feed.body, feed.contentType)) {
    throw new FetchError('not_a_feed', `${first.url}, linked from ${page.url} as a feed, is an HTML page`, { status: feed.status });
  }
  return { ...feed, discoveredFrom: page.url };
}

/**
 * HTML by its first markup (after a BOM, whitespace, an XML declaration and comments), or, when
 * that says nothing, by a text/html or XHTML content type. A feed served as text/html by a
 * misconfigured server starts with `<rss`, `<feed` or `<rdf:RDF`, or `{`, and is kept.
 */
export function looksLikeHtml(body: Uint8Array, contentType: string | null): boolean {
  const head = body.subarray(0, 2048);
  const start = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1').replace(/^(?:\u00ef\u00bb\u00bf|\u00fe\u00ff|\u00ff\u00fe)/, '');
  const first = start
    .replace(/\0/g, '')
    .replace(/^(?:\s+|<\?xml\b[^>]*>|<!--[\s\S]*?-->)*/i, '')
    .slice(0, 64)
    .toLowerCase();
  if (first.startsWith('<!doctype html') || first.startsWith('<html')) return true;
  if (/^(?:<rss\b|<feed\b|<rdf:rdf\b|<!doctype\s+(?:rss|feed)\b|<[a-z0-9_-]+:(?:rss|feed)\b|\{)/.test(first)) return false;
  const type = (contentType ?? '').toLowerCase().split(';')[0]?.trim();
  return type === 'text/html' || type === 'application/xhtml+xml';
}
