import { articleNames, type SettleArticle } from '@newsfold/clustering';
import { placedArticleKeys, placedArticlesById, type PlacedArticleKey, type Pool, type SettleWindowArticle } from '@newsfold/db';
import { toIndexable } from './indexable.js';

/** An article as a pass read it, and as placing reads it, kept for the next pass while it does not change. */
interface Read {
  key: PlacedArticleKey;
  row: SettleWindowArticle;
  article: SettleArticle;
}

/** What passes read of the articles, by id (SettleMemoryHolder). */
export type ReadArticles = Map<string, Read>;

/**
 * The placed articles with an event time in [from, to), each with the story it is in now. Only
 * their keys are read every pass; an article read by an earlier pass whose content and time did
 * not change since is taken as it was read (the same object, which is also what lets the next pass
 * see at once that it did not change). `read` keeps what was read, for the next pass.
 */
export async function readPlaced(
  pool: Pool,
  from: Date,
  to: Date | null,
  read: ReadArticles,
): Promise<{ row: SettleWindowArticle; article: SettleArticle }[]> {
  const keys = await placedArticleKeys(pool, from, to);
  const stale = keys.filter((k) => {
    const was = read.get(k.id)?.key;
    return !was || was.contentHash !== k.contentHash || was.eventAt.getTime() !== k.eventAt.getTime();
  });
  for (const row of await placedArticlesById(pool, stale.map((k) => k.id))) {
    const { contentHash, ...rest } = row;
    read.set(row.id, { key: { id: row.id, storyId: row.storyId, contentHash, eventAt: row.eventAt }, row: rest, article: toSettleArticle(rest) });
  }
  return keys.flatMap((k) => {
    const got = read.get(k.id);
    // Gone between the two reads (a feed removed): not in the window any more.
    if (!got || got.key.contentHash !== k.contentHash || got.key.eventAt.getTime() !== k.eventAt.getTime()) return [];
    return [{ row: got.row.storyId === k.storyId ? got.row : { ...got.row, storyId: k.storyId }, article: got.article }];
  });
}

/** Forgets what was read of articles no pass reads any more (they left the window). */
export function keepOnly(read: ReadArticles, ids: Iterable<string>): void {
  const kept = new Set(ids);
  for (const id of read.keys()) if (!kept.has(id)) read.delete(id);
}

/**
 * As placing reads it, with the terms it writes as names and whether it has a summary, which the
 * settle pass's split and join steps read (placing does without, so the assigner never pays for them).
 */
export function toSettleArticle(row: SettleWindowArticle): SettleArticle {
  const article = toIndexable(row);
  const names = article.features.names ?? articleNames(row.title, row.summary, article.features.language);
  return { ...article, features: { ...article.features, names, hasSummary: !!row.summary }, tieBreak: row.url ?? row.guid };
}
