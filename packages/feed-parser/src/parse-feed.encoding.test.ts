import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));

const TITLE = 'Café “Zeitung” — Übersicht';
const ITEM = 'Preis: 5 € für Müller’s Brötchen';

describe('a windows-1252 feed given as bytes', () => {
  it('is decoded from its XML declaration, with no charset in the Content-Type', async () => {
    const feed = await parseFeed(fixture('windows-1252-declared.xml'), { contentType: 'application/rss+xml' });
    expect(feed.title).toBe(TITLE);
    expect(feed.entries[0]?.title).toBe(ITEM);
    expect(feed.entries[0]?.summary).toBe('Grüße aus Köln');
  });

  it('trusts the XML declaration over a wrong charset in the Content-Type', async () => {
    const feed = await parseFeed(fixture('windows-1252-declared.xml'), { contentType: 'text/xml; charset=utf-8' });
    expect(feed.entries[0]?.title).toBe(ITEM);
  });

  it('is decoded from the Content-Type charset when the body declares nothing', async () => {
    const feed = await parseFeed(fixture('windows-1252-undeclared.xml'), { contentType: 'text/xml; charset=windows-1252' });
    expect(feed.title).toBe(TITLE);
    expect(feed.entries[0]?.title).toBe(ITEM);
  });

  it('is still decoded when nothing declares a charset (invalid UTF-8 → windows-1252)', async () => {
    const feed = await parseFeed(fixture('windows-1252-undeclared.xml'), { contentType: 'text/xml' });
    expect(feed.entries[0]?.title).toBe(ITEM);
  });
});

describe('other encodings', () => {
  it('decodes UTF-16 bytes with a BOM', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Ωμέγα</title></channel></rss>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect((await parseFeed(bytes)).title).toBe('Ωμέγα');
  });

  it('decodes UTF-8 by default and strips a BOM from string input', async () => {
    const xml = '\uFEFF<rss version="2.0"><channel><title>Ελληνικά 日本語</title></channel></rss>';
    expect((await parseFeed(Buffer.from(xml, 'utf8'))).title).toBe('Ελληνικά 日本語');
    expect((await parseFeed(xml)).title).toBe('Ελληνικά 日本語');
  });
});
