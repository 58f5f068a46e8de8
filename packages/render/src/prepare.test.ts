import { describe, expect, it } from 'vitest';
import { baseUrl, prepareFeed } from './prepare.js';
import { sampleInput, source } from './testdata/fixtures.js';
import type { RenderStory } from './types.js';

function story(overrides: Partial<RenderStory>): RenderStory {
  return {
    id: '1',
    title: 'A story',
    summary: null,
    firstSeenAt: new Date('2025-01-01T00:00:00Z'),
    updatedAt: new Date('2025-01-01T00:00:00Z'),
    sources: [],
    ...overrides,
  };
}

describe('prepareFeed', () => {
  it('builds absolute self links from publicUrl, with or without trailing slashes or a path', () => {
    expect(prepareFeed(sampleInput({ publicUrl: 'http://localhost:8080' })).selfUrls).toEqual({
      rss: 'http://localhost:8080/topics/world/rss.xml',
      atom: 'http://localhost:8080/topics/world/atom.xml',
      json: 'http://localhost:8080/topics/world/feed.json',
    });
    const prefixed = prepareFeed(sampleInput({ publicUrl: 'https://example.org/news//' }));
    expect(prefixed.id).toBe('https://example.org/news/topics/world/');
    expect(prefixed.homeUrl).toBe('https://example.org/news/');
  });

  it('refuses a publicUrl that is not absolute http(s)', () => {
    expect(() => baseUrl('javascript:alert(1)')).toThrow(TypeError);
    expect(() => baseUrl('localhost:8080')).toThrow(TypeError);
    expect(() => baseUrl('')).toThrow(TypeError);
  });

  it('defaults updated to the newest story activity, not the first story', () => {
    const stories = [
      story({ id: 'a', updatedAt: new Date('2025-01-02T00:00:00Z') }),
      story({ id: 'b', updatedAt: new Date('2025-01-05T00:00:00Z') }),
    ];
    expect(prepareFeed(sampleInput({ stories })).updated.toISOString()).toBe('2025-01-05T00:00:00.000Z');
    const explicit = new Date('2025-02-01T00:00:00Z');
    expect(prepareFeed(sampleInput({ stories, updatedAt: explicit })).updated).toEqual(explicit);
    expect(prepareFeed(sampleInput({ stories: [] })).updated.getTime()).toBe(0);
  });

  it('orders sources earliest first with undated ones last, and lists non-http(s) ones without a link', () => {
    const [entry] = prepareFeed(
      sampleInput({
        stories: [
          story({
            sources: [
              source('Late', 'https://late.example/', '2025-01-03T00:00:00Z'),
              source('Undated', 'https://undated.example/', null),
              source('Ftp', 'ftp://files.example/x', '2024-01-01T00:00:00Z'),
              source('Early', 'https://early.example/', '2025-01-01T00:00:00Z'),
            ],
          }),
        ],
      }),
    ).entries;
    expect(entry?.sources.map((s) => [s.outlet, s.url])).toEqual([
      ['Ftp', null],
      ['Early', 'https://early.example/'],
      ['Late', 'https://late.example/'],
      ['Undated', 'https://undated.example/'],
    ]);
    expect(entry?.contentHtml).toContain('<li><strong>Ftp</strong>: Ftp headline · <time');
    expect(entry?.link).toBe('https://news.example.org/stories/1');
  });

  it('links each entry to its story page, under a prefixed publicUrl too', () => {
    const entries = prepareFeed(
      sampleInput({ publicUrl: 'https://example.org/news/', stories: [story({ id: '42' }), story({ id: '7\u0000' })] }),
    ).entries;
    expect(entries.map((e) => e.link)).toEqual(['https://example.org/news/stories/42', 'https://example.org/news/stories/7']);
  });

  it('still links to the story page when no source has a usable link, and never emits an empty title', () => {
    const [entry] = prepareFeed(
      sampleInput({ stories: [story({ title: ' \u0000 ', sources: [source('X', 'data:text/plain,hi', null)] })] }),
    ).entries;
    expect(entry?.link).toBe('https://news.example.org/stories/1');
    expect(entry?.title).toBe('X headline');
    expect(entry?.contentHtml).not.toContain('href');
    const [bare] = prepareFeed(sampleInput({ stories: [story({ title: ' ', sources: [{ outlet: '', title: '', url: null, publishedAt: null }] })] })).entries;
    expect(bare?.title).toBe('Untitled story');
    expect(bare?.sources).toEqual([{ outlet: 'Unnamed outlet', title: 'Untitled', url: null, publishedAt: null }]);
  });

  it('replaces invalid dates instead of throwing', () => {
    const [entry] = prepareFeed(
      sampleInput({ stories: [story({ updatedAt: new Date(Number.NaN), firstSeenAt: new Date('2025-01-01T00:00:00Z') })] }),
    ).entries;
    expect(entry?.updatedAt.toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});
