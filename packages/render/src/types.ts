export type TopicFeedFormat = 'rss' | 'atom' | 'json';

export interface RenderSource {
  /** The outlet's display name, e.g. "The Harbour Times". */
  outlet: string;
  title: string;
  /** The article's link; null (or anything but http(s)) lists the source without one. */
  url: string | null;
  publishedAt: Date | null;
}

export interface RenderStory {
  id: string;
  /** Lead headline. */
  title: string;
  summary: string | null;
  firstSeenAt: Date;
  /** When the story last gained a source: readers show the entry as updated, not new. */
  updatedAt: Date;
  /** Every outlet's article, earliest first. */
  sources: RenderSource[];
}

export interface RenderTopic {
  slug: string;
  title: string;
  description: string | null;
}

export interface TopicFeedInput {
  topic: RenderTopic;
  /** Newest activity first. */
  stories: RenderStory[];
  /** Absolute base for links, e.g. "http://localhost:8080" (no trailing slash needed). */
  publicUrl: string;
  /** Advised polling interval for readers (RSS <ttl>), in minutes. */
  ttlMinutes: number;
  /** The feed's own updated time; defaults to the newest story's updatedAt, else the epoch. */
  updatedAt?: Date;
  /**
   * Query parameters the feed was asked with, for its self links (a reader subscribed to
   * `?min_sources=3` must see that URL as the feed's own, not the plain one). Only non-defaults.
   */
  feedQuery?: { limit?: number; minSources?: number };
  language?: string;
}
