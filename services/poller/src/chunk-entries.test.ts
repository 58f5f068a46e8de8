import { describe, expect, it } from 'vitest';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { toChunks } from './chunk-entries.js';

const entry = (guid: string, n: number): WireEntry => ({
  guid,
  url: `https://a.example/${n}`,
  title: `Item ${n}`,
  summary: null,
  contentHtml: null,
  author: null,
  publishedAt: null,
  categories: [],
  imageUrl: null,
});

function fetched(guids: string[]): FetchedEntries {
  return {
    feedId: '1',
    feedUrl: 'https://a.example/feed.xml',
    fetchedAt: '2026-12-07T00:00:00.000Z',
    feed: { title: 'A', siteUrl: null, language: null },
    entries: guids.map((g, i) => entry(g, i)),
  };
}

const titles = (chunks: ReturnType<typeof toChunks>) => chunks.map((c) => c.payload.entries.map((e) => e.title));

describe('toChunks', () => {
  it('cuts entries into chunks of the size, in feed order, each carrying the feed', () => {
    const chunks = toChunks(fetched(['a', 'b', 'c', 'd', 'e']), 2);
    expect(titles(chunks)).toEqual([['Item 0', 'Item 1'], ['Item 2', 'Item 3'], ['Item 4']]);
    expect(chunks.map((c) => c.entries)).toEqual([2, 2, 1]);
    expect(chunks.every((c) => c.payload.feed.title === 'A' && c.payload.feedId === '1')).toBe(true);
  });

  it('keeps entries sharing a guid in one chunk, even past the size', () => {
    const chunks = toChunks(fetched(['a', 'b', 'c', 'b', 'd', 'b']), 2);
    expect(titles(chunks)).toEqual([['Item 0'], ['Item 1', 'Item 3', 'Item 5'], ['Item 2', 'Item 4']]);
    expect(chunks.reduce((n, c) => n + c.entries, 0)).toBe(6);
  });

  it('makes one empty chunk for a feed without entries (it still names the outlet)', () => {
    expect(toChunks(fetched([]), 100)).toEqual([{ entries: 0, payload: fetched([]) }]);
  });
});
