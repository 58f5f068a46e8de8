export interface DiscoveredFeed {
  /** Absolute http(s) URL of the feed. */
  url: string;
  /** The link's type, lower-cased, parameters dropped (`application/rss+xml`). */
  type: string;
  title: string | null;
}

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/rdf+xml']);

// Pages also announce non-feed JSON as alternate (WordPress: title="JSON", its REST API), so
// plain application/json only counts when the title calls it a feed ("JSON Feed").
const FEEDISH_TITLE = /\bfeed\b/i;

const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * The feeds a page announces with `<link rel="alternate" type="…" href="…">`, in page order,
 * de-duplicated, resolved against `<base href>` (or the page URL). Pure and tolerant: a regex
 * scan of the head that ignores comments, scripts and malformed tags rather than a full parser.
 */
export function discoverFeedLinks(html: string, baseUrl: string): DiscoveredFeed[] {
  const head = headOf(html);
  const tags = [...head.matchAll(/<(link|base)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: parseAttributes(m[2] ?? ''),
  }));
  let base = safeUrl(baseUrl);
  const baseTag = tags.find((t) => t.name === 'base' && t.attributes.has('href'));
  if (baseTag && base) base = safeUrl(baseTag.attributes.get('href') ?? '', base) ?? base;
  if (!base) return [];
  const found: DiscoveredFeed[] = [];
  const seen = new Set<string>();
  for (const { name, attributes } of tags) {
    if (name !== 'link') continue;
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('alternate')) continue;
    const type = (attributes.get('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    const title = attributes.get('title')?.trim() || null;
    if (!FEED_TYPES.has(type) && !(type === 'application/json' && title && FEEDISH_TITLE.test(title))) continue;
    const href = attributes.get('href')?.trim();
    if (!href) continue;
    const url = safeUrl(href, base);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    url.hash = '';
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    found.push({ url: url.href, type, title });
  }
  return found;
}

/** The part of the document where head elements can be: up to `<body` or `</head>`. */
function headOf(html: string): string {
  const stripped = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(script|style|template|noscript)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ');
  const end = stripped.search(/<\/head\s*>|<body\b/i);
  return end === -1 ? stripped : stripped.slice(0, end);
}

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? '').toLowerCase();
    // The first occurrence of an attribute wins, as in the HTML parsing algorithm.
    if (!name || attributes.has(name)) continue;
    attributes.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attributes;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  // A named reference without its semicolon is left alone before a letter, digit or "=", as
  // browsers do in attribute values (so `?a=1&copy=2` keeps its query).
  return text.replace(/&(?:(#x[0-9a-f]+|#\d+);?|([a-z]+);|([a-z]+)(?![a-z0-9=]))/gi, (whole, num?: string, named?: string, bare?: string) => {
    if (num) {
      const code = num[1] === 'x' || num[1] === 'X' ? parseInt(num.slice(2), 16) : parseInt(num.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[(named ?? bare ?? '').toLowerCase()] ?? whole;
  });
}

function safeUrl(text: string, base?: URL): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}
