/**
 * The first story-assignment rule: an article joins a story when an article already in it has
 * the same canonical URL or the same normalised headline, close enough in time. Pure: the caller
 * fetches candidates (from an index, never a scan of the window) and applies the decision.
 */

export interface ArticleToPlace {
  titleKey: string;
  url: string | null;
  eventAt: Date;
}

export interface StoryCandidate {
  storyId: string;
  titleKey: string;
  url: string | null;
  eventAt: Date;
}

export type MatchReason = 'same-url' | 'same-title' | 'new-story';

export interface StoryMatch {
  /** null: start a new story. */
  storyId: string | null;
  score: number;
  reason: MatchReason;
}

/**
 * Headlines this short ("Video", "Live updates", "Opinion") recur for unrelated items, so an exact
 * match on them says nothing about the event.
 */
export const MIN_TITLE_TOKENS = 3;

export function chooseStory(article: ArticleToPlace, candidates: StoryCandidate[], options: { windowMs: number }): StoryMatch {
  const inWindow = candidates.filter((c) => Math.abs(c.eventAt.getTime() - article.eventAt.getTime()) <= options.windowMs);
  const nearest = (list: StoryCandidate[]) =>
    list.reduce<StoryCandidate | undefined>(
      (best, c) =>
        best === undefined ||
        Math.abs(c.eventAt.getTime() - article.eventAt.getTime()) < Math.abs(best.eventAt.getTime() - article.eventAt.getTime())
          ? c
          : best,
      undefined,
    );
  if (article.url !== null) {
    const sameUrl = nearest(inWindow.filter((c) => c.url === article.url));
    if (sameUrl) return { storyId: sameUrl.storyId, score: 1, reason: 'same-url' };
  }
  if (article.titleKey.split(' ').filter(Boolean).length >= MIN_TITLE_TOKENS) {
    const sameTitle = nearest(inWindow.filter((c) => c.titleKey === article.titleKey));
    if (sameTitle) return { storyId: sameTitle.storyId, score: 1, reason: 'same-title' };
  }
  return { storyId: null, score: 0, reason: 'new-story' };
}
