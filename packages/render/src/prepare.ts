/**
 * Turns caller input into a clean, format-neutral model: every string stripped of
 * XML-illegal characters, every link an absolute http(s) URL, every date valid. The format
 * writers only escape; they never have to distrust their input.
 */
import { coverageHtml } from './content.js';
import { cleanText, safeHttpUrl, validDate } from './sanitize.js';
import type { RenderSource, RenderStory, TopicFeedFormat, TopicFeedInput } from './types.js';

export interface PreparedSource {
  outlet: string;
  title: string;
  /** Absolute http(s) URL, or null: the source is listed without a link. */
  url: string | null;
  publishedAt: Date | null;
}

export interface PreparedEntry {
  /** `urn:newsfold:story:{id}` */
  id: string;
  /** Plain text. */
  title: string;
  /** Plain text, or null when the story has none. */
  summary: string | null;
  /** The story's own page, `${publicUrl}/stories/{id}` (every outlet's link is in the content). */
  link: string;
  firstSeenAt: Date;
  updatedAt: Date;
  /** Earliest first. */
  sources: PreparedSource[];
  /** Distinct outlet names, in source order. */
  outlets: string[];
  /** Sanitised HTML: summary plus the coverage list. */
  contentHtml: string;
}

export interface PreparedFeed {
  title: string;
  description: string;
  /** `${publicUrl}/topics/{slug}/` */
  id: string;
  homeUrl: string;
  selfUrls: Record<TopicFeedFormat, string>;
  updated: Date;
  /** Whole minutes, or undefined when the input was not a positive number. */
  ttlMinutes: number | undefined;
  language: string;
  entries: PreparedEntry[];
}

export const GENERATOR = 'newsfold';
const DEFAULT_LANGUAGE = 'en';
const EPOCH = new Date(0);
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

export const FEED_PATHS: Record<TopicFeedFormat, string> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};

/** `${base}/topics/{slug}/`: a topic's page on this instance, which its feeds sit under. */
export function topicUrl(base: string, slug: string): string {
  return `${base}/topics/${encodeURIComponent(cleanText(slug))}/`;
}

/** `${base}/topics/{slug}/rss.xml` (atom.xml, feed.json): a topic's feed in one format. */
export function topicFeedUrl(base: string, slug: string, format: TopicFeedFormat): string {
  return topicUrl(base, slug) + FEED_PATHS[format];
}

/** `http://host:8080/base/` → `http://host:8080/base`; refuses anything but http(s). */
export function baseUrl(publicUrl: string): string {
  const href = safeHttpUrl(publicUrl);
  if (href === null) throw new TypeError(`publicUrl must be an absolute http(s) URL: ${JSON.stringify(publicUrl)}`);
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

export function prepareFeed(input: TopicFeedInput): PreparedFeed {
  const base = baseUrl(input.publicUrl);
  const homeUrl = `${base}/`;
  const topicTitle = cleanText(input.topic.title) || cleanText(input.topic.slug);
  const topicHome = topicUrl(base, input.topic.slug);
  const entries = input.stories.map((story) => prepareEntry(story, base));
  const language = cleanText(input.language);
  const ttl = input.ttlMinutes;
  return {
    title: `newsfold — ${topicTitle}`,
    description:
      cleanText(input.topic.description) || `Stories about ${topicTitle}, folded across outlets by newsfold`,
    id: topicHome,
    homeUrl,
    selfUrls: {
      rss: topicFeedUrl(base, input.topic.slug, 'rss') + feedQueryString(input.feedQuery),
      atom: topicFeedUrl(base, input.topic.slug, 'atom') + feedQueryString(input.feedQuery),
      json: topicFeedUrl(base, input.topic.slug, 'json') + feedQueryString(input.feedQuery),
    },
    updated: validDate(input.updatedAt) ?? newestUpdate(entries),
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? Math.max(1, Math.round(ttl)) : undefined,
    language: LANGUAGE_TAG.test(language) ? language : DEFAULT_LANGUAGE,
    entries,
  };
}

/** `?limit=20&min_sources=3`, from the whole positive numbers given; '' for none. */
function feedQueryString(query: TopicFeedInput['feedQuery']): string {
  const params = new URLSearchParams();
  const add = (name: string, value: number | undefined) => {
    if (value !== undefined && Number.isSafeInteger(value) && value > 0) params.set(name, String(value));
  };
  add('limit', query?.limit);
  add('min_sources', query?.minSources);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function newestUpdate(entries: PreparedEntry[]): Date {
  let newest = EPOCH;
  for (const entry of entries) if (entry.updatedAt > newest) newest = entry.updatedAt;
  return newest;
}

/** `${base}/stories/{id}`: the story's page on this instance. */
export function storyPageUrl(base: string, storyId: string): string {
  return `${base}/stories/${encodeURIComponent(cleanText(storyId))}`;
}

function prepareEntry(story: RenderStory, base: string): PreparedEntry {
  const sources = prepareSources(story.sources);
  const firstSeenAt = validDate(story.firstSeenAt) ?? validDate(story.updatedAt) ?? EPOCH;
  const summary = cleanText(story.summary);
  // Else the first outlet's own headline (the caller sends them earliest first).
  const title = cleanText(story.title) || story.sources.map((s) => cleanText(s.title)).find((t) => t !== '') || 'Untitled story';
  const outlets = [...new Set(sources.map((s) => s.outlet))];
  return {
    id: `urn:newsfold:story:${encodeURIComponent(cleanText(story.id))}`,
    title,
    summary: summary === '' ? null : summary,
    link: storyPageUrl(base, story.id),
    firstSeenAt,
    updatedAt: validDate(story.updatedAt) ?? firstSeenAt,
    sources,
    outlets,
    contentHtml: coverageHtml(summary, sources, outlets.length),
  };
}

/**
 * Orders the sources earliest first, each with a link only when it has an http(s) one: an item
 * without a link (some feeds publish none) or with another scheme still counts as coverage, so
 * "Covered by N outlets" agrees with the story's source count. The caller already sends them
 * earliest first; the stable sort only guards that promise, keeping undated sources after dated
 * ones in their given order.
 */
function prepareSources(sources: RenderSource[]): PreparedSource[] {
  const prepared: PreparedSource[] = [];
  for (const source of sources) {
    const url = source.url === null ? null : safeHttpUrl(source.url);
    const outlet = cleanText(source.outlet) || (url === null ? 'Unnamed outlet' : new URL(url).hostname);
    prepared.push({ outlet, title: cleanText(source.title) || url || 'Untitled', url, publishedAt: validDate(source.publishedAt) });
  }
  return prepared.sort(byPublishedAt);
}

function byPublishedAt(a: PreparedSource, b: PreparedSource): number {
  if (a.publishedAt === null || b.publishedAt === null) {
    return (a.publishedAt === null ? 1 : 0) - (b.publishedAt === null ? 1 : 0);
  }
  return a.publishedAt.getTime() - b.publishedAt.getTime();
}
