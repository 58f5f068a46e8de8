import { describe, expect, it } from 'vitest';
import { articleFeatures, type SettleArticle } from '@newsfold/clustering';
import { seedsFor, type Seeds } from './settle-seeds.js';

const article = (id: string, title: string): SettleArticle => ({
  id,
  features: articleFeatures({ title, language: 'en' }),
  titleKey: title.toLowerCase(),
  eventAt: new Date(Date.UTC(2026, 11, 1, Number(id))),
  tieBreak: id,
});
const a = article('1', 'Volcano erupts near Reykjavik');
const b = article('2', 'Flights grounded by Icelandic volcano');
const c = article('3', 'Central bank raises rates');
const seeds = (...stories: [string, SettleArticle[]][]): Seeds => new Map(stories);
const SINCE = Date.UTC(2026, 11, 2);

describe('seedsFor', () => {
  it('keeps the seeds the hour first read while the assigner only merged some of them, and says where each went', () => {
    const first = seedsFor(seeds(['10', [a]], ['11', [b]], ['12', [c]]), SINCE, undefined);
    // Read afresh: the same articles, 11 folded into 10.
    const later = seedsFor(seeds(['10', [{ ...a }, { ...b }]], ['12', [{ ...c }]]), SINCE, first.held);
    expect(later.seeds).toBe(first.seeds);
    expect(later.now).toEqual(new Map([['10', '10'], ['11', '10'], ['12', '12']]));
  });

  it('takes the seeds as they are now when an article left, came, changed or was split off, or the window moved', () => {
    const first = seedsFor(seeds(['10', [a, b]], ['12', [c]]), SINCE, undefined);
    const fresh = (s: Seeds) => seedsFor(s, SINCE, first.held);
    for (const now of [
      seeds(['10', [a, b]]),
      seeds(['10', [a, b]], ['12', [c, article('4', 'Rates rise again')]]),
      seeds(['10', [a, { ...b, titleKey: 'rewritten' }]], ['12', [c]]),
      seeds(['10', [a]], ['13', [b]], ['12', [c]]),
    ]) {
      const got = fresh(now);
      expect(got.seeds).toBe(now);
      expect(got.held.seeds).toBe(now);
    }
    const moved = seedsFor(seeds(['10', [a, b]], ['12', [c]]), SINCE + 3_600_000, first.held);
    expect(moved.seeds).not.toBe(first.seeds);
    expect(moved.held.since).toBe(SINCE + 3_600_000);
  });
});
