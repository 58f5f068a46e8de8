import { forgetRecentArticles, refreshStories, type Pool } from '@newsfold/db';
import { withStoryWrite } from './story-write.js';

/**
 * Refreshes the stories of these articles (a changed headline can change its story's lead title;
 * a link another feed now shares can bring the story into that feed's topics).
 */
export async function refreshStoriesOfArticles(pool: Pool, articleIds: string[]): Promise<void> {
  if (articleIds.length === 0) return;
  await withStoryWrite(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      'SELECT DISTINCT story_id::text AS id FROM articles WHERE id = ANY($1::bigint[]) AND story_id IS NOT NULL',
      [articleIds],
    );
    // Their headlines or texts changed: what the stories keep of their newest articles is stale.
    await forgetRecentArticles(tx, rows.map((r) => r.id));
    await refreshStories(tx, rows.map((r) => r.id));
  });
}
