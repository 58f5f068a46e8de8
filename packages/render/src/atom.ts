/** Atom 1.0 through the `feed` package. */
import { Feed } from 'feed';
import { atomHtmlText, xmlText } from './feed-quirks.js';
import { GENERATOR, type PreparedFeed } from './prepare.js';
import { escapeHtml } from './sanitize.js';

export function renderAtom(feed: PreparedFeed): string {
  const atom = new Feed({
    id: xmlText(feed.id),
    // type="html" and HTML-escaped, as every entry's title and summary: the same text to a reader
    // that honours the type, and no markup to one that renders any Atom text as HTML.
    title: atomHtmlText(escapeHtml(feed.title)),
    description: atomHtmlText(escapeHtml(feed.description)),
    link: feed.homeUrl,
    feedLinks: { atom: feed.selfUrls.atom },
    updated: feed.updated,
    generator: GENERATOR,
    // Atom requires an author on the feed or on every entry; entries without an outlet inherit this.
    author: { name: 'newsfold', link: feed.homeUrl },
  });
  for (const entry of feed.entries) {
    atom.addItem({
      // `feed` writes entry <title> and <summary> as type="html": plain text is HTML-escaped.
      title: escapeHtml(entry.title),
      id: entry.id,
      link: entry.link,
      date: entry.updatedAt,
      published: entry.firstSeenAt,
      description: entry.summary === null ? undefined : escapeHtml(entry.summary),
      content: entry.contentHtml,
      author: entry.outlets.length > 0 ? entry.outlets.map((name) => ({ name: xmlText(name) })) : undefined,
    });
  }
  return atom.atom1();
}
