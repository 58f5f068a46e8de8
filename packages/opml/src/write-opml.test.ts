import { describe, expect, it } from 'vitest';
import type { OpmlOutline } from './outline.js';
import { parseOpml } from './parse-opml.js';
import { writeOpml } from './write-opml.js';

const outlines: OpmlOutline[] = [
  { xmlUrl: 'https://bbc.example/world/rss.xml', title: 'BBC World', htmlUrl: 'https://bbc.example/', tags: ['world', 'uk'] },
  { xmlUrl: 'https://untagged.example/feed', title: 'Untagged', htmlUrl: null, tags: [] },
  { xmlUrl: 'https://tech.example/atom?a=1&b=2', title: 'Tom & Jerry\'s "Tech" <News>', htmlUrl: 'https://tech.example/?q="x"&y=\'z\'', tags: ['tech'] },
  { xmlUrl: 'https://noname.example/rss', title: null, htmlUrl: null, tags: ['world'] },
  { xmlUrl: 'https://multi.example/rss', title: 'Line\nbreak\tand tab', htmlUrl: null, tags: ['r&d', 'news/europe', 'world'] },
];

describe('writeOpml', () => {
  it('round-trips through parseOpml', () => {
    const xml = writeOpml(outlines, { title: 'newsfold' });
    const parsed = parseOpml(xml);
    expect(new Set(parsed.map((o) => o.xmlUrl))).toEqual(new Set(outlines.map((o) => o.xmlUrl)));
    for (const original of outlines) {
      expect(parsed.find((o) => o.xmlUrl === original.xmlUrl)).toEqual(original);
    }
  });

  it('writes an OPML 2.0 head with escaped title and RFC 822 dateCreated', () => {
    const xml = writeOpml([], { title: 'Mine & <yours>', dateCreated: new Date('2025-03-11T12:00:00Z') });
    expect(xml).toContain('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">');
    expect(xml).toContain('<title>Mine &amp; &lt;yours&gt;</title>');
    expect(xml).toContain('<dateCreated>Tue, 11 Mar 2025 12:00:00 GMT</dateCreated>');
    expect(writeOpml([], { title: 't' })).not.toContain('dateCreated');
    expect(writeOpml([], { title: 't', dateCreated: new Date(Number.NaN) })).not.toContain('dateCreated');
    expect(parseOpml(xml)).toEqual([]);
  });

  it('groups feeds into folders by first tag, untagged ones at the top level first', () => {
    const xml = writeOpml(outlines, { title: 't' });
    const body = xml.slice(xml.indexOf('<body>'));
    expect(body.indexOf('https://untagged.example/feed')).toBeLessThan(body.indexOf('<outline text="world"'));
    expect(xml).toMatch(/\n {4}<outline type="rss" text="Untagged" title="Untagged" xmlUrl="https:\/\/untagged.example\/feed"\/>\n/);
    const world = xml.slice(xml.indexOf('<outline text="world" title="world">'), xml.indexOf('<outline text="tech"'));
    expect(world).toContain('https://bbc.example/world/rss.xml');
    expect(world).toContain('https://noname.example/rss');
    expect(world).not.toContain('https://multi.example/rss');
    expect(xml).toContain('<outline text="r&amp;d" title="r&amp;d">');
    expect(xml).toContain('category="world,uk"');
  });

  it('escapes every attribute value', () => {
    const xml = writeOpml(outlines, { title: 't' });
    expect(xml).toContain('text="Tom &amp; Jerry&apos;s &quot;Tech&quot; &lt;News&gt;"');
    expect(xml).toContain('xmlUrl="https://tech.example/atom?a=1&amp;b=2"');
    expect(xml).toContain('htmlUrl="https://tech.example/?q=&quot;x&quot;&amp;y=&apos;z&apos;"');
    expect(xml).toContain('title="Line&#10;break&#9;and tab"');
  });

  it('writes a URL as text, and no title, for an untitled feed', () => {
    expect(writeOpml([outlines[3] as OpmlOutline], { title: 't' })).toContain(
      '<outline type="rss" text="https://noname.example/rss" xmlUrl="https://noname.example/rss" category="world"/>',
    );
  });

  it('normalises tags the way parseOpml reads them', () => {
    const xml = writeOpml([{ xmlUrl: 'https://e.example/', title: 'E', htmlUrl: null, tags: [' World ', 'world', '/Tech', 'a,b', ''] }], { title: 't' });
    expect(xml).toContain('category="world,tech,a b"');
    expect(parseOpml(xml)[0]?.tags).toEqual(['world', 'tech', 'a b']);
  });

  it('drops characters XML cannot carry instead of writing an unreadable document', () => {
    const xml = writeOpml([{ xmlUrl: 'https://e.example/', title: 'bad\u0000\u0007\uFFFE\uD800 chars', htmlUrl: null, tags: [] }], { title: 'x\u0001' });
    expect(parseOpml(xml)[0]?.title).toBe('bad chars');
    expect(xml).toContain('<title>x</title>');
  });
});
