import { seededRandom } from '@newsfold/testing';

/**
 * A generated news corpus whose correct grouping is known and unambiguous: every event has words
 * of its own (invented, never shared with another event), each of its reports repeats its
 * headline and most of its summary words, and its reports are spread over consecutive feeds. So
 * the stories a correct run makes do not depend on the order articles arrive in, and each item's
 * link says which event it reports.
 */

export interface CorpusItem {
  /** Canonical already (lower-case host, no query): stored as it is. */
  link: string;
  event: number;
  feed: number;
  title: string;
  summary: string;
  publishedAt: Date;
}

export interface CorpusFeed {
  index: number;
  /** Path on the feed server, e.g. `/feeds/7.xml`. */
  path: string;
  title: string;
  siteUrl: string;
  items: CorpusItem[];
}

export interface Corpus {
  feeds: CorpusFeed[];
  items: CorpusItem[];
}

export interface CorpusOptions {
  feeds: number;
  itemsPerFeed: number;
  /** How many items report each event (several feeds, or one feed several times when there is one). */
  reportsPerEvent: number;
  seed?: number;
  /** The corpus' clock: items are dated within the day before it. */
  now?: Date;
}

const EVENT_LINK = /\/news\/e(\d+)-r\d+$/;

/** The event an item's link reports, or null for a link that is not the corpus'. */
export function eventOfLink(link: string): number | null {
  const match = EVENT_LINK.exec(link);
  return match?.[1] === undefined ? null : Number(match[1]);
}

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 't', 'v', 'z', 'br', 'dr', 'kl', 'pr', 'tr', 'vr', 'zh', 'qu', 'th'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ei'];
// No final "s": the clustering stems English plurals, which could make two invented words one.
const CODAS = ['', '', 'n', 'r', 'k', 'x', 'l', 'm', 'th'];

/** Invented words, never repeated within one corpus. */
function wordSource(next: () => number): () => string {
  const used = new Set<string>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return () => {
    for (;;) {
      let word = '';
      const syllables = 3 + Math.floor(next() * 2);
      for (let i = 0; i < syllables; i++) word += pick(ONSETS) + pick(VOWELS);
      word += pick(CODAS);
      if (!used.has(word)) {
        used.add(word);
        return word;
      }
    }
  };
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function shuffled<T>(list: readonly T[], next: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export function createCorpus(options: CorpusOptions): Corpus {
  const next = seededRandom(options.seed ?? 20_261_207);
  const word = wordSource(next);
  const now = (options.now ?? new Date()).getTime();
  const total = options.feeds * options.itemsPerFeed;
  const events = Math.ceil(total / options.reportsPerEvent);
  const feeds: CorpusFeed[] = Array.from({ length: options.feeds }, (_, index) => ({
    index,
    path: `/feeds/${index}.xml`,
    title: `Outlet ${index}`,
    siteUrl: `https://outlet-${index}.example/`,
    items: [],
  }));
  const items: CorpusItem[] = [];
  for (let event = 0; event < events; event++) {
    // Sentence case with two names: the headline carries most of the weight.
    const headline = Array.from({ length: 5 }, word);
    const title = [capitalise(headline[0] ?? ''), headline[1], capitalise(headline[2] ?? ''), headline[3], headline[4]].join(' ');
    const more = Array.from({ length: 7 }, word);
    // Spread over the day before `now`, newest event first; reports a few minutes apart.
    const eventAt = now - 60_000 - Math.floor((event / events) * 23 * 3_600_000);
    for (let report = 0; report < options.reportsPerEvent; report++) {
      const slot = event * options.reportsPerEvent + report;
      if (slot >= total) break;
      const feed = feeds[slot % options.feeds] as CorpusFeed;
      // Each report keeps the headline and most of the event's words, in its own order, with two words of its own.
      const words = [...shuffled([...headline, ...more], next).slice(0, 10), word(), word()];
      const item: CorpusItem = {
        link: `https://outlet-${feed.index}.example/news/e${event}-r${report}`,
        event,
        feed: feed.index,
        title,
        summary: `${capitalise(shuffled(words, next).join(' '))}.`,
        publishedAt: new Date(eventAt - report * 120_000),
      };
      feed.items.push(item);
      items.push(item);
    }
  }
  return { feeds, items };
}

/** The correct stories: the items' links grouped by event. */
export function expectedGroups(items: readonly CorpusItem[]): string[][] {
  const byEvent = new Map<number, string[]>();
  for (const item of items) byEvent.set(item.event, [...(byEvent.get(item.event) ?? []), item.link]);
  return [...byEvent.values()];
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The feed as RSS 2.0, newest first; the same bytes every time, so a refetch finds it unchanged. */
export function renderFeed(feed: CorpusFeed): string {
  const items = [...feed.items]
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
    .map(
      (item) =>
        `<item><title>${escapeXml(item.title)}</title><link>${item.link}</link><guid isPermaLink="true">${item.link}</guid>` +
        `<pubDate>${item.publishedAt.toUTCString()}</pubDate><description>${escapeXml(item.summary)}</description></item>`,
    );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(feed.title)}</title>` +
    `<link>${feed.siteUrl}</link><description>Generated for the fault suite</description><language>en</language>\n` +
    `${items.join('\n')}\n</channel></rss>\n`
  );
}

/** An OPML subscription list of the feeds, served at `baseUrl`. */
export function renderOpml(feeds: readonly CorpusFeed[], baseUrl: string): string {
  const outlines = feeds.map(
    (feed) => `<outline type="rss" text="${escapeXml(feed.title)}" xmlUrl="${baseUrl}${feed.path}" htmlUrl="${feed.siteUrl}"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>fault suite</title></head><body>\n${outlines.join('\n')}\n</body></opml>\n`;
}
