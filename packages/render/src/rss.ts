/** RSS 2.0 through the `feed` package. */
import { Feed } from 'feed';
import { xmlText } from './feed-quirks.js';
import { GENERATOR, type PreparedFeed } from './prepare.js';
import { escapeHtml } from './sanitize.js';

export function renderRss(feed: PreparedFeed): string {
  const rss = new Feed({
    // Plain text, as every item title (see below).
    title: xmlText(feed.title),
    // Readers treat <description> as HTML, the channel's as the items': HTML-escaped like theirs.
    description: xmlText(escapeHtml(feed.description)),
    link: feed.homeUrl,
    feedLinks: { rss: feed.selfUrls.rss },
    updated: feed.updated,
    generator: xmlText(GENERATOR),
    language: feed.language,
    ttl: feed.ttlMinutes,
  });
  for (const entry of feed.entries) {
    rss.addItem({
      // `feed` writes RSS titles as raw CDATA; the title element is written as an escaped text
      // node through `extensions` instead, so no markup-looking text ever appears unescaped in
      // the document (same value to an XML parser, but nothing for a careless reader to render).
      title: '',
      extensions: [{ name: 'title', objects: { _text: xmlText(entry.title) } }],
      // guid: `feed` writes the id as <guid isPermaLink="false">.
      id: entry.id,
      link: entry.link,
      // RSS has no "updated" and readers sort and flag new items on pubDate, so pubDate is the
      // story's last activity (not its first sighting): a story that gains outlets resurfaces.
      // (`published` is deliberately not set: `feed` would let it override pubDate.)
      date: entry.updatedAt,
      // Readers treat <description> as HTML: the plain-text summary is HTML-escaped.
      description: entry.summary === null ? undefined : escapeHtml(entry.summary),
      content: entry.contentHtml,
    });
  }
  return rss.rss2();
}
