/**
 * The page shell shared by every web page: head (feed autodiscovery, colour scheme, inline CSS),
 * header and footer. Every dynamic string goes through hono/html's `html` template, which
 * escapes it; the only `raw` text here is the constant stylesheet.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { baseUrl, safeHttpUrl, topicFeedUrl, type TopicFeedFormat } from '@newsfold/render';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Where links point: `base` is absolute (feeds, canonical), `root` the path prefix for navigation. */
export interface Site {
  base: string;
  root: string;
  now: Date;
}

export function siteOf(publicUrl: string, now = new Date()): Site {
  const base = baseUrl(publicUrl);
  return { base, root: new URL(base).pathname.replace(/\/+$/, ''), now };
}

export const FEED_LABELS: Record<TopicFeedFormat, { label: string; type: string }> = {
  rss: { label: 'RSS', type: 'application/rss+xml' },
  atom: { label: 'Atom', type: 'application/atom+xml' },
  json: { label: 'JSON Feed', type: 'application/feed+json' },
};
const FORMATS: TopicFeedFormat[] = ['rss', 'atom', 'json'];

export const paths = {
  home: (s: Site) => `${s.root}/`,
  topic: (s: Site, slug: string, query = '') => `${s.root}/topics/${encodeURIComponent(slug)}${query}`,
  story: (s: Site, id: string) => `${s.root}/stories/${encodeURIComponent(id)}`,
  feed: (s: Site, slug: string, format: TopicFeedFormat) => topicFeedUrl(s.base, slug, format),
  opml: (s: Site) => `${s.base}/topics.opml`,
};

export interface Alternate {
  type: string;
  title: string;
  href: string;
}

/** The three feeds of a topic, as `<link rel="alternate">` entries. */
export function topicAlternates(site: Site, topic: { slug: string; title: string }): Alternate[] {
  return FORMATS.map((format) => ({
    type: FEED_LABELS[format].type,
    title: `newsfold — ${topic.title} (${FEED_LABELS[format].label})`,
    href: paths.feed(site, topic.slug, format),
  }));
}

/** "RSS · Atom · JSON Feed" links for one topic. */
export function feedLinks(site: Site, slug: string): Html {
  return html`<span class="feeds">${FORMATS.map(
    (format, i) => html`${i > 0 ? ' · ' : ''}<a href="${paths.feed(site, slug, format)}" type="${FEED_LABELS[format].type}">${FEED_LABELS[format].label}</a>`,
  )}</span>`;
}

/** An outside link only when the URL is http(s); anything else is shown as plain text. */
export function externalLink(url: string | null, text: string, className?: string): Html {
  const href = safeHttpUrl(url);
  const cls = className ? html` class="${className}"` : '';
  if (href === null) return html`<span${cls}>${text}</span>`;
  return html`<a${cls} href="${href}" rel="noopener noreferrer nofollow">${text}</a>`;
}

/** "3 h ago"; dates in the future (clock skew) read as "just now". */
export function relativeTime(date: Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 14) return `${days} days ago`;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "2025-03-11 09:05 UTC" */
export function utcLabel(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function timeTag(date: Date, now: Date): Html {
  return html`<time datetime="${date.toISOString()}" title="${utcLabel(date)}">${relativeTime(date, now)}</time>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export interface PageShell {
  title: string;
  description?: string | null;
  canonical?: string;
  alternates?: Alternate[];
  body: Html;
}

export function layout(site: Site, page: PageShell): Html {
  const title = page.title === 'newsfold' ? page.title : `${page.title} — newsfold`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
${page.description ? html`<meta name="description" content="${page.description}">\n` : ''}${
    page.canonical ? html`<link rel="canonical" href="${page.canonical}">\n` : ''
  }${(page.alternates ?? []).map((a) => html`<link rel="alternate" type="${a.type}" title="${a.title}" href="${a.href}">\n`)}<style>${raw(CSS)}</style>
</head>
<body>
<header class="site"><a class="brand" href="${paths.home(site)}">newsfold</a><span class="tagline">one story, every outlet</span></header>
<main>
${page.body}
</main>
<footer class="site"><a href="${paths.home(site)}">Topics</a> · <a href="${paths.opml(site)}" type="text/x-opml">All feeds (OPML)</a></footer>
</body>
</html>
`;
}

export function errorBody(site: Site, status: number, message: string): Html {
  const heading = status === 404 ? 'Not found' : status < 500 ? 'Bad request' : 'Something went wrong';
  return layout(site, {
    title: heading,
    body: html`<section class="error"><h1>${heading}</h1><p>${message}</p><p><a href="${paths.home(site)}">Back to the topics</a></p></section>`,
  });
}

const CSS = `
:root{--bg:#fbfaf7;--fg:#1d1d1f;--muted:#5f6368;--line:#e3e1dc;--link:#0b57d0;--visited:#6b3fa0;--accent:#b3261e;--chip:#efede8}
@media (prefers-color-scheme:dark){:root{--bg:#151618;--fg:#e8e6e3;--muted:#a0a4a8;--line:#2c2e31;--link:#8ab4f8;--visited:#c58af9;--accent:#f28b82;--chip:#24262a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link);text-decoration:none}a:hover,a:focus{text-decoration:underline}
main,header.site,footer.site{max-width:46rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;gap:.75rem;align-items:baseline;flex-wrap:wrap;padding-top:1rem;padding-bottom:.75rem;border-bottom:1px solid var(--line)}
.brand{font-weight:700;font-size:1.25rem;color:var(--fg)}.tagline{color:var(--muted);font-size:.9rem}
footer.site{margin-top:2rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
h1{font-size:1.6rem;line-height:1.25;margin:1.25rem 0 .5rem}
h2{font-size:1.15rem;line-height:1.3;margin:0 0 .25rem}
.lede{color:var(--muted);margin:.25rem 0 1rem}
.meta,.feeds,.outlets,.filters,.pager{color:var(--muted);font-size:.875rem}
.list{list-style:none;margin:0;padding:0}
.list>li{padding:.9rem 0;border-bottom:1px solid var(--line)}
.list h2 a{color:var(--fg)}.list h2 a:visited{color:var(--visited)}
.summary{margin:.25rem 0}
.outlets a,.outlets span{display:inline-block;background:var(--chip);border-radius:.3rem;padding:0 .4rem;margin:.15rem .15rem 0 0}
.count{font-weight:600;color:var(--fg)}
.first{color:var(--accent);font-weight:600}
.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.5rem 0}
.filters a,.filters strong{padding:.1rem .55rem;border:1px solid var(--line);border-radius:1rem}
.filters strong{background:var(--chip);color:var(--fg)}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
.sources{padding-left:1.25rem}.sources>li{margin:.75rem 0}
.sources .outlet{font-weight:600}
.why,.shared{font-size:.8rem;color:var(--muted)}
.error{padding:2rem 0}
@media (max-width:30rem){body{font-size:15px}h1{font-size:1.35rem}}
`;
