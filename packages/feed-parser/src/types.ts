export type FeedFormat = 'rss' | 'atom' | 'json';

export interface ParsedEnclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** One entry as the feed told it. Text fields are as given (they may hold markup); the normalizer cleans them. */
export interface ParsedEntry {
  /** The entry's id: guid/id as given; else its link; else a stable hash of title and date. Never empty. */
  guid: string;
  /** Absolute http(s) link, resolved against xml:base / the feed URL; null when absent or unusable. */
  url: string | null;
  /**
   * The base the feed declares (`xml:base`, on the entry, its text element or an ancestor) for
   * links inside summary/contentHtml; null when it declares none, and a consumer then resolves
   * them against the entry's own link. Always set by parseFeed; optional so that hand-built
   * entries need not give it.
   */
  baseUrl?: string | null;
  title: string;
  /** description / summary / JSON Feed summary, as given (may be HTML). */
  summary: string | null;
  /** content:encoded / atom content / JSON Feed content_html (or content_text). */
  contentHtml: string | null;
  author: string | null;
  /** Clamped to the fetch time when a feed dates an entry in the future; null when absent or unparseable. */
  publishedAt: Date | null;
  updatedAt: Date | null;
  categories: string[];
  enclosures: ParsedEnclosure[];
  imageUrl: string | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  /** The site's home page (RSS channel link, Atom alternate link, JSON Feed home_page_url). */
  siteUrl: string | null;
  description: string | null;
  language: string | null;
  /** RSS <ttl> in minutes, when given. */
  ttlMinutes: number | null;
  entries: ParsedEntry[];
}

export interface ParseOptions {
  /** The URL the body came from: base for relative links. */
  url?: string;
  /** The HTTP Content-Type header, for its charset and to tell JSON from XML. */
  contentType?: string | null;
  /** When the body was fetched: future dates are clamped to it. Defaults to now. */
  fetchedAt?: Date;
}
