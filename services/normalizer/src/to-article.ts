import { createHash } from 'node:crypto';
import type { ArticleInput } from '@newsfold/db';
import type { WireEntry } from '@newsfold/queue';
import { articleFeatures } from '@newsfold/clustering';
import { canonicalUrl, cleanTitle, htmlToText, titleKey } from '@newsfold/text';

const SUMMARY_CHARS = 1_000;

/**
 * Turns a feed entry into the article we store: plain-text title and summary, canonical URL, and
 * a hash of everything stored, so a refetch that changed nothing writes nothing. Markup is
 * reduced to text here, before storage; the stored HTML body waits for the sanitiser (a later
 * issue), so nothing unsanitised is ever kept.
 */
export function toArticle(entry: WireEntry, feedUrl: string, language?: string | null): ArticleInput {
  const summaryText = truncate(htmlToText(entry.summary ?? entry.contentHtml ?? ''), SUMMARY_CHARS);
  let title = cleanTitle(entry.title);
  // Some feeds (microblogs, link logs) send no title: the start of the text stands in for it.
  if (!title) title = truncate(summaryText, 120) || '(untitled)';
  const url = entry.url ? canonicalUrl(entry.url, feedUrl) : null;
  const author = entry.author ? cleanTitle(entry.author) || null : null;
  const parsedDate = entry.publishedAt ? new Date(entry.publishedAt) : null;
  // An unreadable date is dropped (the article falls back to first-seen), never fatal for the job.
  const publishedAt = parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : null;
  const summary = summaryText || null;
  const contentHash = createHash('sha256')
    .update(JSON.stringify([title, summary, url, author, publishedAt?.toISOString() ?? null]))
    .digest('hex');
  const features = articleFeatures({ title, summary, language: language ?? null });
  return {
    guid: entry.guid,
    url,
    title,
    titleKey: titleKey(title),
    summary,
    contentHtml: null,
    author,
    publishedAt,
    contentHash,
    language: features.language,
    features: features.terms,
    signature: features.signature,
  };
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
