import { startLoopbackServer } from '@newsfold/testing';
import { renderFeed, renderOpml, type Corpus, type CorpusFeed } from './corpus.js';

/** The corpus' feeds on a loopback HTTP server, counting what it has served. */
export interface FeedServer {
  url: string;
  /** The OPML document subscribing to every feed. */
  opml: string;
  /** Feeds served at least once (a full 200 answer). */
  servedFeeds: ReadonlySet<number>;
  /** Links of every item in a feed served at least once. */
  servedLinks(): string[];
  /** Answers being written right now (delayed ones included). */
  inFlight(): number;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  /** Each answer waits this long first, so that a fetch is in flight long enough to be interrupted. */
  delayMs?: number;
}

export async function startFeedServer(corpus: Corpus, options: FeedServerOptions = {}): Promise<FeedServer> {
  const byPath = new Map<string, { feed: CorpusFeed; body: string }>(corpus.feeds.map((feed) => [feed.path, { feed, body: renderFeed(feed) }]));
  const servedFeeds = new Set<number>();
  let inFlight = 0;
  const server = await startLoopbackServer((req, res) => {
    const entry = byPath.get(req.url ?? '');
    if (!entry) return void res.writeHead(404).end();
    inFlight += 1;
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(entry.body, () => {
        servedFeeds.add(entry.feed.index);
      });
    };
    res.once('close', () => {
      inFlight -= 1;
    });
    if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  });
  // The loopback server records every request: nothing here reads them, and a long run makes many.
  const recorded = server.requests;
  const trim = setInterval(() => recorded.splice(0, recorded.length), 5_000);
  return {
    url: server.url,
    opml: renderOpml(corpus.feeds, server.url),
    servedFeeds,
    servedLinks: () => corpus.feeds.filter((f) => servedFeeds.has(f.index)).flatMap((f) => f.items.map((i) => i.link)),
    inFlight: () => inFlight,
    close: async () => {
      clearInterval(trim);
      await server.close();
    },
  };
}
