import { chooseStory, type StoryMatch } from '@newsfold/clustering';
import {
  assignArticle,
  createStory,
  lockUnassignedArticle,
  refreshStories,
  sameTitleCandidates,
  withTransaction,
  type Pool,
  type UnassignedArticle,
} from '@newsfold/db';

/**
 * Places one article in a story. Concurrency: every article with the same title key takes the
 * same transaction-scoped advisory lock before looking for candidates, so two normalizer replicas
 * handling two copies of one headline run one after the other, and the second sees the story the
 * first created: never two stories for one event. The article row is re-checked under lock, so a
 * replayed job does nothing.
 */
export async function assignStory(
  pool: Pool,
  article: UnassignedArticle,
  options: { windowMs: number },
): Promise<(StoryMatch & { storyId: string }) | null> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`title:${article.titleKey}`]);
    if (!(await lockUnassignedArticle(tx, article.id))) return null;
    const candidates = await sameTitleCandidates(tx, article.titleKey, article.eventAt, options.windowMs);
    const match = chooseStory(article, candidates, options);
    const storyId =
      match.storyId ?? (await createStory(tx, { articleId: article.id, title: article.title, eventAt: article.eventAt }));
    await assignArticle(tx, article.id, { storyId, score: match.score, reason: match.reason });
    await refreshStories(tx, [storyId]);
    return { ...match, storyId };
  });
}
