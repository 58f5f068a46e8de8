import { describe, expect, it } from 'vitest';
import { entryGuid, finalizeEntries, type EntryDraft } from './entries.js';

function draft(overrides: Partial<EntryDraft>): EntryDraft {
  return {
    guid: null,
    rawLink: null,
    rawDate: null,
    url: null,
    baseUrl: null,
    title: '',
    summary: null,
    contentHtml: null,
    author: null,
    publishedAt: null,
    updatedAt: null,
    categories: [],
    enclosures: [],
    imageUrl: null,
    ...overrides,
  };
}

describe('entryGuid', () => {
  it('uses the guid as given, trimmed', () => {
    expect(entryGuid(draft({ guid: '  urn:x:1 \n', url: 'https://e.com/1' }))).toBe('urn:x:1');
  });

  it('falls back to the resolved link, then the raw link', () => {
    expect(entryGuid(draft({ guid: '  ', url: 'https://e.com/1', rawLink: '/1' }))).toBe('https://e.com/1');
    expect(entryGuid(draft({ rawLink: ' /relative/1 ' }))).toBe('/relative/1');
  });

  it('hashes title and date stably when there is no id or link', () => {
    const a = entryGuid(draft({ title: 'Headline', rawDate: 'Mon, 10 Mar 2025 09:30:00 GMT' }));
    expect(a).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(entryGuid(draft({ title: 'Headline', rawDate: 'Mon, 10 Mar 2025 09:30:00 GMT', summary: 'changed' }))).toBe(a);
    expect(entryGuid(draft({ title: 'Headline', rawDate: 'Tue, 11 Mar 2025 09:30:00 GMT' }))).not.toBe(a);
    expect(entryGuid(draft({ title: 'Other', rawDate: 'Mon, 10 Mar 2025 09:30:00 GMT' }))).not.toBe(a);
  });

  it('tells untitled, undated entries apart by their content', () => {
    expect(entryGuid(draft({ summary: 'one' }))).not.toBe(entryGuid(draft({ summary: 'two' })));
  });
});

describe('finalizeEntries', () => {
  const fetchedAt = new Date('2025-03-10T12:00:00Z');

  it('keeps the first entry of each guid and link, in order', () => {
    const entries = finalizeEntries(
      [
        draft({ guid: 'a', title: 'first a' }),
        draft({ guid: 'b', title: 'b' }),
        draft({ guid: ' a ', title: 'second a' }),
        draft({ url: 'https://e.com/x', title: 'x' }),
        draft({ url: 'https://e.com/x', title: 'x again' }),
      ],
      fetchedAt,
    );
    expect(entries.map((e) => [e.guid, e.title])).toEqual([
      ['a', 'first a'],
      ['b', 'b'],
      ['https://e.com/x', 'x'],
    ]);
  });

  it('keeps entries sharing a guid but linking to different pages, and drops a repeat of both', () => {
    const entries = finalizeEntries(
      [
        draft({ guid: 'home', url: 'https://e.com/a', title: 'a' }),
        draft({ guid: 'home', url: 'https://e.com/b', title: 'b' }),
        draft({ guid: 'home', url: 'https://e.com/a', title: 'a again' }),
        draft({ guid: 'home', title: 'no link' }),
        draft({ guid: 'home', title: 'no link again' }),
      ],
      fetchedAt,
    );
    expect(entries.map((e) => [e.guid, e.url, e.title])).toEqual([
      ['home', 'https://e.com/a', 'a'],
      ['home', 'https://e.com/b', 'b'],
      ['home', null, 'no link'],
    ]);
  });

  it('clamps future publication and update dates to the fetch time, and keeps past ones', () => {
    const [entry] = finalizeEntries(
      [draft({ guid: 'a', publishedAt: new Date('2099-01-01T00:00:00Z'), updatedAt: new Date('2025-03-01T00:00:00Z') })],
      fetchedAt,
    );
    expect(entry?.publishedAt?.toISOString()).toBe(fetchedAt.toISOString());
    expect(entry?.updatedAt?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });

  it('keeps entries as the feed gives them, even with nothing to show, and strips draft-only fields', () => {
    const entries = finalizeEntries([draft({ author: 'only an author' }), draft({ guid: 'kept', rawDate: 'x' })], fetchedAt);
    expect(entries.map((e) => e.author)).toEqual(['only an author', null]);
    expect(entries[0]?.guid).toMatch(/^sha1:/);
    for (const entry of entries) {
      expect(entry).not.toHaveProperty('rawLink');
      expect(entry).not.toHaveProperty('rawDate');
    }
  });
});
