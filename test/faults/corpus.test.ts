import { describe, expect, it } from 'vitest';
import { createCorpus, eventOfLink, expectedGroups, renderFeed } from './corpus.js';

describe('fault suite corpus', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const corpus = createCorpus({ feeds: 12, itemsPerFeed: 20, reportsPerEvent: 4, now });

  it('gives every feed its items and every event reports in different feeds', () => {
    expect(corpus.items).toHaveLength(240);
    for (const feed of corpus.feeds) expect(feed.items).toHaveLength(20);
    for (const group of expectedGroups(corpus.items)) {
      expect(group).toHaveLength(4);
      const feeds = group.map((link) => corpus.items.find((i) => i.link === link)?.feed);
      expect(new Set(feeds).size).toBe(4);
    }
  });

  it('shares no word between two events, so the grouping is unambiguous', () => {
    const eventsOfWord = new Map<string, Set<number>>();
    for (const item of corpus.items) {
      for (const word of `${item.title} ${item.summary}`.toLowerCase().match(/[a-z]+/g) ?? []) {
        eventsOfWord.set(word, (eventsOfWord.get(word) ?? new Set()).add(item.event));
      }
    }
    const shared = [...eventsOfWord].filter(([, events]) => events.size > 1).map(([word]) => word);
    expect(shared).toEqual([]);
  });

  it('says which event a link reports, and renders the same bytes every time', () => {
    expect(new Set(corpus.items.map((i) => i.link)).size).toBe(corpus.items.length);
    for (const item of corpus.items) expect(eventOfLink(item.link)).toBe(item.event);
    expect(eventOfLink('https://elsewhere.example/news/x')).toBeNull();
    const again = createCorpus({ feeds: 12, itemsPerFeed: 20, reportsPerEvent: 4, now });
    expect(renderFeed(again.feeds[3]!)).toBe(renderFeed(corpus.feeds[3]!));
  });

  it('dates every item within the day before its clock', () => {
    for (const item of corpus.items) {
      expect(item.publishedAt.getTime()).toBeLessThan(now.getTime());
      expect(now.getTime() - item.publishedAt.getTime()).toBeLessThan(24 * 3_600_000);
    }
  });

  it('puts every report of an event in one feed when there is only one', () => {
    const big = createCorpus({ feeds: 1, itemsPerFeed: 480, reportsPerEvent: 3, now });
    expect(big.feeds[0]?.items).toHaveLength(480);
    expect(expectedGroups(big.items)).toHaveLength(160);
  });
});
