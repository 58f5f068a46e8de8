import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** For pages a browser shows (HTML): Hono's full set (the pages add their own CSP). */
const pageHeaders = secureHeaders({ crossOriginResourcePolicy: 'cross-origin' });
const nothingNext = async () => undefined;

/**
 * For everything that is data, not a page (feeds, JSON, OPML): the set OWASP recommends for APIs.
 * No sniffing it into HTML, no script and no framing should a browser show it anyway, HSTS, and
 * reads from any origin. The HTML-only headers of the full set (opener and origin-agent
 * isolation, referrer policy, DNS prefetch, old IE's download and XSS switches, Flash's
 * cross-domain policies) protect nothing here and would be half the header bytes of every poll.
 */
const DATA_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/**
 * Security headers on every response except a 304. A 304 has no document for them to protect,
 * and a client keeps the headers of the response it revalidated, updating only those the 304
 * sends (RFC 9111 §4.3.4); on a feed polled by every subscriber they would be most of its bytes
 * and of the work of answering it.
 */
export const secureHeadersExcept304: MiddlewareHandler = async (c, next) => {
  await next();
  const status = c.res.status;
  if (status === 304) return;
  const headers = c.res.headers;
  if ((headers.get('content-type') ?? '').startsWith('text/html')) {
    await pageHeaders(c, nothingNext);
    return;
  }
  for (const [name, value] of DATA_HEADERS) if (!headers.has(name)) headers.set(name, value);
};
