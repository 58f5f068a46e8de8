import { describe, expect, it } from 'vitest';
import { chooseStory, type StoryCandidate } from './choose-story.js';

const at = (iso: string) => new Date(iso);
const windowMs = 72 * 3_600_000;

function candidate(storyId: string, titleKey: string, iso: string, url: string | null = null): StoryCandidate {
  return { storyId, titleKey, url, eventAt: at(iso) };
}

describe('chooseStory', () => {
  const article = { titleKey: 'us and ukraine hold talks in jeddah', url: 'https://a.example/x', eventAt: at('2026-11-20T12:00:00Z') };

  it('starts a new story when nothing matches', () => {
    expect(chooseStory(article, [], { windowMs })).toEqual({ storyId: null, score: 0, reason: 'new-story' });
    expect(chooseStory(article, [candidate('1', 'another headline entirely here', '2026-11-20T11:00:00Z')], { windowMs }).storyId).toBeNull();
  });

  it('joins the nearest story with the same headline inside the window', () => {
    const match = chooseStory(
      article,
      [
        candidate('old', article.titleKey, '2026-11-18T10:00:00Z'),
        candidate('near', article.titleKey, '2026-11-20T09:00:00Z'),
        candidate('outside', article.titleKey, '2026-11-10T09:00:00Z'),
      ],
      { windowMs },
    );
    expect(match).toEqual({ storyId: 'near', score: 1, reason: 'same-title' });
  });

  it('ignores matches outside the window', () => {
    expect(chooseStory(article, [candidate('1', article.titleKey, '2026-11-01T00:00:00Z')], { windowMs }).storyId).toBeNull();
  });

  it('prefers the same URL over the same headline', () => {
    const match = chooseStory(
      article,
      [candidate('title', article.titleKey, '2026-11-20T11:59:00Z'), candidate('url', 'different words', '2026-11-20T08:00:00Z', article.url)],
      { windowMs },
    );
    expect(match.reason).toBe('same-url');
    expect(match.storyId).toBe('url');
  });

  it('does not fold short generic headlines', () => {
    const short = { ...article, titleKey: 'live updates' };
    expect(chooseStory(short, [candidate('1', 'live updates', '2026-11-20T11:00:00Z')], { windowMs }).storyId).toBeNull();
  });
});
