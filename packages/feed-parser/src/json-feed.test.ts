import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
const fetchedAt = new Date('2025-06-01T00:00:00Z');

describe('JSON Feed 1.1', () => {
  it('reads the feed level', async () => {
    const feed = await parseFeed(fixture('jsonfeed-11.json'), { fetchedAt, contentType: 'application/feed+json' });
    expect(feed).toMatchObject({
      format: 'json',
      title: 'JSON Outlet',
      siteUrl: 'https://json.example.com/',
      description: 'A JSON Feed 1.1',
      language: 'en-US',
      ttlMinutes: null,
    });
    expect(feed.entries).toHaveLength(2); // the non-object item is skipped
  });

  it('reads an item: authors[0], content_html over content_text, tags, attachments, image', async () => {
    const { entries } = await parseFeed(fixture('jsonfeed-11.json'), { fetchedAt });
    expect(entries[0]).toEqual({
      guid: 'https://json.example.com/p/1',
      url: 'https://json.example.com/p/1',
      baseUrl: null, // JSON Feed has no xml:base
      title: 'Post one',
      summary: 'The first post',
      contentHtml: '<p>Post <strong>one</strong></p>',
      author: 'Ada',
      publishedAt: new Date('2025-03-02T15:00:00Z'),
      updatedAt: new Date('2025-03-02T16:00:00Z'),
      categories: ['alpha', 'beta'],
      enclosures: [{ url: 'https://json.example.com/a/1.mp3', type: 'audio/mpeg', length: 1000 }], // javascript: dropped
      imageUrl: 'https://json.example.com/img/1.jpg',
    });
  });

  it('copes with numeric ids, relative URLs, missing titles and bad dates', async () => {
    const { entries } = await parseFeed(fixture('jsonfeed-11.json'), { fetchedAt, url: 'https://mirror.example/feed.json' });
    expect(entries[1]).toMatchObject({
      guid: '2',
      url: 'https://mirror.example/p/2',
      title: '',
      contentHtml: 'A title-less micro post',
      author: 'Feed Team', // feed-level authors
      publishedAt: null,
    });
  });
});

describe('JSON Feed 1.0', () => {
  it('reads author objects, external_url and image attachments', async () => {
    const feed = await parseFeed(fixture('jsonfeed-10.json'), { fetchedAt });
    expect(feed).toMatchObject({ format: 'json', title: 'Old JSON Outlet', siteUrl: 'https://old.example.com/' });
    expect(feed.entries.map((e) => [e.guid, e.url, e.author, e.imageUrl])).toEqual([
      ['a1', 'https://elsewhere.example.net/story', 'Bob', 'https://old.example.com/pic.png'],
      ['a2', 'https://old.example.com/a2', 'Old Team', null],
    ]);
    expect(feed.entries[0]?.contentHtml).toBe('Text only');
    expect(feed.entries[0]?.publishedAt).toEqual(new Date('2024-12-31T23:59:59Z'));
  });
});

describe('JSON that is not a JSON Feed', () => {
  it('rejects malformed JSON as invalid_feed', async () => {
    await expect(parseFeed('{"version": "https://jsonfeed.org/version/1.1", "items": [')).rejects.toMatchObject({
      code: 'invalid_feed',
      permanent: true,
    });
  });

  it('rejects other JSON as not_a_feed', async () => {
    const error = await parseFeed('{"version": "2.0", "items": []}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect(error).toMatchObject({ code: 'not_a_feed' });
  });

  it('accepts a bare version number when the items are recognisably JSON Feed items', async () => {
    const feed = await parseFeed('{"version": "1.1", "title": "T", "items": [{"id": "1", "content_text": "x"}]}');
    expect(feed).toMatchObject({ format: 'json', title: 'T' });
    expect(feed.entries.map((e) => e.guid)).toEqual(['1']);
    // Other JSON carrying a version number stays not_a_feed.
    for (const body of ['{"version": "1.0", "items": []}', '{"version": "1.0", "items": [{"name": "x"}]}']) {
      await expect(parseFeed(body)).rejects.toMatchObject({ code: 'not_a_feed' });
    }
  });

  it('treats a JSON Feed without items as empty', async () => {
    const feed = await parseFeed('{"version": "https://jsonfeed.org/version/1.1", "title": "Empty"}');
    expect(feed).toMatchObject({ format: 'json', title: 'Empty', entries: [] });
  });
});
