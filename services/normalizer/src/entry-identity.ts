import { hash } from 'node:crypto';
import type { ArticleInput } from '@newsfold/db';

/**
 * The guid each article is stored under. Entries of one feed document that share a guid but link
 * to different pages (a CMS giving every item its home page, or a date, as guid) are different
 * articles, and one feed holds one article per guid, so each of them is stored under the guid with
 * its link: `guid#link-<hash of the canonical link>`, or `guid#no-link` for one without a link.
 * Every entry of such a group gets it, none keeps the bare guid: which one came first changes from
 * one fetch to the next, and the bare guid would then match the article stored for another link.
 * An article stored under the bare guid before its guid was shared (or before this rule) is still
 * found by its link, and so is each article once its guid is no longer shared (upsertArticles
 * looks for the feed's article at an entry's link before its article under the guid). Entries
 * sharing a guid and one link, or no link, stay one article under the bare guid (the first is
 * kept); so does a lone entry whose link changed.
 *
 * Only entries of one normalize job are compared; the poller keeps entries sharing a guid in one
 * batch however large the feed (toChunks).
 */
export function withEntryIdentities(articles: ArticleInput[]): ArticleInput[] {
  const links = new Map<string, Set<string>>();
  for (const article of articles) {
    if (article.url === null) continue;
    const seen = links.get(article.guid);
    if (seen) seen.add(article.url);
    else links.set(article.guid, new Set([article.url]));
  }
  return articles.map((article) => ((links.get(article.guid)?.size ?? 0) > 1 ? { ...article, guid: linkedGuid(article) } : article));
}

function linkedGuid({ guid, url }: ArticleInput): string {
  // Hashed: the guid column is in a btree index, and a long guid plus a long link could outgrow it.
  return url === null ? `${guid}#no-link` : `${guid}#link-${hash('sha256', url, 'hex').slice(0, 24)}`;
}
