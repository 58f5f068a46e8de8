import { articleFeatures } from '@newsfold/clustering';
import type { ArticleInput } from '@newsfold/db';
import { articleInput, seededRandom } from '@newsfold/testing';

const HOUR = 3_600_000;
export const T0 = Date.parse('2026-11-20T00:00:00Z');

/**
 * Generated news: events, each with words of its own, told in headlines that draw on them (and on
 * words every event shares), an event's headlines spread over hours. Enough overlap that articles
 * join, start and fold stories.
 */
export function generatedNews(seed: number, events: number, articles: number): { guid: string; title: string; at: Date; event: number }[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const shared = ['minister', 'report', 'city', 'court', 'market', 'vote', 'storm', 'deal', 'police', 'talks'];
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tu', 'vas', 'dor', 'pel', 'gri', 'sun', 'bor', 'fen'];
  const word = () => Array.from({ length: 3 }, () => pick(syllables)).join('');
  const plan = Array.from({ length: events }, () => ({
    words: Array.from({ length: 6 }, word),
    start: T0 + Math.floor(random() * 96) * HOUR,
  }));
  return Array.from({ length: articles }, (_, i) => {
    const event = Math.floor(random() * events);
    const { words, start } = plan[event] as (typeof plan)[number];
    const own = words.filter(() => random() < 0.6);
    const title = [...own, pick(shared), pick(shared)].map((w, j) => (j === 0 ? w[0]?.toUpperCase() + w.slice(1) : w)).join(' ');
    return { guid: `g${i}`, title, at: new Date(start + Math.floor(random() * 12 * 60) * 60_000), event };
  });
}

export function asInput(item: { guid: string; title: string; at: Date }): ArticleInput {
  const features = articleFeatures({ title: item.title, language: 'en' });
  return articleInput(item.guid, {
    title: item.title,
    titleKey: item.title.toLowerCase(),
    publishedAt: item.at,
    language: features.language,
    features: features.terms,
    signature: features.signature,
  });
}

