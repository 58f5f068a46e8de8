import { createHash } from 'node:crypto';
import type { ArticleInput } from '@newsfold/db';
import type { WireEntry } from '@newsfold/queue';
import { articleFeatures } from '@newsfold/clustering';
import { canonicalUrl, cleanArticleText, cleanTitle, htmlToText, sanitizeHtml, titleKey, truncateAtWord as truncate } from '@newsfold/text';

const SUMMARY_CHARS = 1_000;
const TITLE_CHARS = 300;
/** Stored article HTML is capped: it is shown, not archived. */
const CONTENT_HTML_CHARS = 200_000;

/**
 * Turns a feed entry into the article we store: plain-text title and summary with the site's
 * boilerplate removed (log-in prompts, comment forms, the headline printed again…), sanitised
 * HTML content, canonical URL, clustering features, and a hash of everything stored, so a refetch
 * that changed nothing writes nothing. Nothing unsanitised is ever kept.
 */
export function toArticle(entry: WireEntry, feedUrl: string, language?: string | null): ArticleInput {
  // A headline is a line: a feed sending a page of text as its title gets the start of it.
  let title = truncate(cleanTitle(entry.title), TITLE_CHARS);
  const bodyText = cleanArticleText(htmlToText(entry.summary ?? entry.contentHtml ?? ''), { title });
  const summaryText = truncate(bodyText, SUMMARY_CHARS);
  // Some feeds (microblogs, link logs) send no title: the start of the text stands in for it.
  if (!title) title = truncate(summaryText, 120) || '(untitled)';
  const url = entry.url ? canonicalUrl(entry.url, feedUrl) : null;
  const author = entry.author ? cleanTitle(entry.author) || null : null;
  const parsedDate = entry.publishedAt ? new Date(entry.publishedAt) : null;
  // An unreadable date is dropped (the article falls back to first-seen), never fatal for the job.
  const publishedAt = parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : null;
  const summary = summaryText || null;
  const rawHtml = entry.contentHtml ?? entry.summary;
  const contentHtml = rawHtml ? sanitizeHtml(rawHtml.slice(0, CONTENT_HTML_CHARS), { baseUrl: entry.baseUrl ?? url ?? feedUrl }) || null : null;
  const contentHash = createHash('sha256')
    .update(JSON.stringify([title, summary, url, author, publishedAt?.toISOString() ?? null, contentHtml]))
    .digest('hex');
  const features = articleFeatures({ title, summary, language: language ?? null });
  return {
    guid: entry.guid,
    url,
    title,
    titleKey: titleKey(title),
    summary,
    contentHtml,
    author,
    publishedAt,
    contentHash,
    language: features.language,
    features: features.terms,
    signature: features.signature,
  };
}
