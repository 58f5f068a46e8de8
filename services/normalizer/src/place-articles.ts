import type { Pool, UnassignedArticle } from '@newsfold/db';
import type { Metrics } from '@newsfold/metrics';
import { placeArticle } from '@newsfold/stories';

export interface Placed {
  newStories: number;
  joinedStories: number;
}

/**
 * Places articles in stories one by one, in the order given (oldest first, so a story's first
 * article leads it). An article another worker placed meanwhile is skipped by placeArticle.
 */
export async function placeArticles(
  deps: { pool: Pool; storyWindowMs: number; metrics?: Metrics | undefined },
  articles: UnassignedArticle[],
): Promise<Placed> {
  const placed: Placed = { newStories: 0, joinedStories: 0 };
  for (const article of articles) {
    const started = performance.now();
    const match = await placeArticle(deps.pool, article, { windowMs: deps.storyWindowMs });
    deps.metrics?.observeAssignment((performance.now() - started) / 1000);
    if (match === null) continue;
    if (match.decision.reason === 'new-story') placed.newStories += 1;
    else placed.joinedStories += 1;
  }
  return placed;
}
