import { isPermanent } from '@newsfold/errors';
import { describe, expect, it } from 'vitest';
import { OpmlError } from './opml-error.js';
import { parseOpml } from './parse-opml.js';

function opml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Subs</title></head><body>${body}</body></opml>`;
}

function expectInvalid(xml: string): OpmlError {
  let caught: unknown;
  try {
    parseOpml(xml);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(OpmlError);
  const error = caught as OpmlError;
  expect(error.code).toBe('invalid_opml');
  expect(isPermanent(error)).toBe(true);
  return error;
}

describe('parseOpml', () => {
  it('reads feed outlines with title, htmlUrl and no tags at the top level', () => {
    expect(
      parseOpml(opml('<outline type="rss" text="BBC" title="BBC News" xmlUrl="https://bbc.example/rss" htmlUrl="https://bbc.example/"/>')),
    ).toEqual([{ xmlUrl: 'https://bbc.example/rss', title: 'BBC News', htmlUrl: 'https://bbc.example/', tags: [] }]);
  });

  it('falls back to text for the title, and to null when there is neither or it is the URL', () => {
    expect(
      parseOpml(
        opml(
          '<outline text="From text" xmlUrl="https://a.example/f"/>' +
            '<outline title="  " text="Text wins over blank title" xmlUrl="https://b.example/f"/>' +
            '<outline xmlUrl="https://c.example/f"/>' +
            '<outline text="https://d.example/f" xmlUrl="https://d.example/f"/>',
        ),
      ).map((o) => o.title),
    ).toEqual(['From text', 'Text wins over blank title', null, null]);
  });

  it('finds feeds at any depth and tags them with every enclosing folder, outermost first', () => {
    const outlines = parseOpml(
      opml(
        '<outline text="News"><outline text=" World  Affairs "><outline text="Deep" xmlUrl="https://deep.example/f"/></outline>' +
          '<outline text="Shallow" xmlUrl="https://shallow.example/f"/></outline>' +
          '<outline title="Tech"><outline text="T" xmlUrl="https://tech.example/f"/></outline>' +
          '<outline text="Empty folder"/>',
      ),
    );
    expect(outlines.map((o) => [o.xmlUrl, o.tags])).toEqual([
      ['https://deep.example/f', ['news', 'world affairs']],
      ['https://shallow.example/f', ['news']],
      ['https://tech.example/f', ['tech']],
    ]);
  });

  it('reads the category attribute: comma-separated, trimmed, leading slash removed, lower-cased', () => {
    const [outline] = parseOpml(
      opml('<outline text="F" xmlUrl="https://f.example/rss" category=" World, /Tech ,/News/Europe,, business ,WORLD"/>'),
    );
    expect(outline?.tags).toEqual(['world', 'tech', 'news/europe', 'business']);
  });

  it('puts category tags before folder tags, without duplicates', () => {
    const [outline] = parseOpml(opml('<outline text="World"><outline text="F" xmlUrl="https://f.example/" category="europe,world"/></outline>'));
    expect(outline?.tags).toEqual(['europe', 'world']);
  });

  it('collapses duplicate xmlUrls, merging tags and keeping the first title and htmlUrl found', () => {
    const outlines = parseOpml(
      opml(
        '<outline text="World"><outline xmlUrl="https://dup.example/rss"/></outline>' +
          '<outline text="Tech"><outline text="Second" xmlUrl="https://dup.example/rss" htmlUrl="https://dup.example/"/></outline>' +
          '<outline text="Third" xmlUrl=" https://dup.example/rss " category="extra"/>',
      ),
    );
    expect(outlines).toEqual([
      { xmlUrl: 'https://dup.example/rss', title: 'Second', htmlUrl: 'https://dup.example/', tags: ['world', 'tech', 'extra'] },
    ]);
  });

  it('decodes &amp;, quotes and numeric references in attributes, exactly once', () => {
    const [outline] = parseOpml(
      opml(
        `<outline text="Tom &amp; Jerry&apos;s &quot;News&quot; &#233;t&#xE9; &amp;lt;b&amp;gt;" xmlUrl="https://e.example/rss?a=1&amp;b=2" category="R&amp;D" htmlUrl='https://e.example/?q="x"'/>`,
      ),
    );
    expect(outline).toEqual({
      xmlUrl: 'https://e.example/rss?a=1&b=2',
      title: 'Tom & Jerry\'s "News" été &lt;b&gt;',
      htmlUrl: 'https://e.example/?q="x"',
      tags: ['r&d'],
    });
  });

  it('tolerates bare ampersands and unknown entities as written', () => {
    const [outline] = parseOpml(opml('<outline text="A&nbsp;B & C" xmlUrl="https://e.example/?a=1&b=2"/>'));
    expect(outline?.xmlUrl).toBe('https://e.example/?a=1&b=2');
    expect(outline?.title).toBe('A&nbsp;B & C');
  });

  it('matches attribute names case-insensitively', () => {
    expect(parseOpml(opml('<outline TEXT="Odd" XMLURL="https://e.example/f" HTMLURL="https://e.example/"/>'))).toEqual([
      { xmlUrl: 'https://e.example/f', title: 'Odd', htmlUrl: 'https://e.example/', tags: [] },
    ]);
  });

  it('accepts OPML 1.0, a byte order mark, leading whitespace, comments and a harmless DOCTYPE', () => {
    const xml = '\uFEFF\n  <?xml version="1.0"?><!DOCTYPE opml><!-- exported --><opml version="1.0"><head/><body><outline text="F" xmlUrl="https://e.example/f"/></body></opml>';
    expect(parseOpml(xml).map((o) => o.xmlUrl)).toEqual(['https://e.example/f']);
  });

  it('returns no outlines for an OPML document without body or feeds', () => {
    expect(parseOpml('<opml version="2.0"><head><title>x</title></head></opml>')).toEqual([]);
    expect(parseOpml(opml(''))).toEqual([]);
    expect(parseOpml(opml('<outline text="Folder only"><outline text="link" type="link" url="https://e.example"/></outline>'))).toEqual([]);
  });

  it('rejects malformed XML', () => {
    expectInvalid(opml('<outline text="F" xmlUrl="https://e.example/f">'));
    expectInvalid('<opml><body><outline xmlUrl="a" xmlUrl="b"/></body></opml>');
    expectInvalid('<opml></opml><opml></opml>');
    expectInvalid('this is not xml');
    expectInvalid('');
    expect(expectInvalid('<opml><body></opml>').message).toMatch(/line 1/);
  });

  it('rejects characters XML forbids, which the validator lets through (U+0000 would reach Postgres)', () => {
    const nul = opml('<outline text="F" category="wo\u0000rld" xmlUrl="https://e.example/f"/>');
    const column = (nul.split('\n')[1]?.indexOf('\u0000') ?? 0) + 1;
    expect(expectInvalid(nul).message).toBe(`Malformed OPML: U+0000, which XML does not allow (line 2, column ${column})`);
    expectInvalid(opml('<outline text="F\u0001" xmlUrl="https://e.example/f"/>'));
    expectInvalid(opml('<outline text="F" xmlUrl="https://e.example/f\uFFFF"/>'));
    // A reference to one is not decoded: it stays as written, text like any other.
    expect(parseOpml(opml('<outline text="F&#0;" xmlUrl="https://e.example/f"/>'))[0]?.title).toBe('F&#0;');
  });

  it('rejects documents whose root is not <opml>', () => {
    expectInvalid('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>');
    expectInvalid('<html><body><outline xmlUrl="https://e.example/f"/></body></html>');
  });

  it('treats attribute names such as __proto__ or outline as plain data', () => {
    const outlines = parseOpml(
      opml('<outline __proto__="polluted" constructor="x" outline="y" text="F" xmlUrl="https://e.example/f"><outline text="Child" xmlUrl="https://e.example/c"/></outline>'),
    );
    expect(outlines.map((o) => o.xmlUrl)).toEqual(['https://e.example/f', 'https://e.example/c']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(outlines[0])).toBe(Object.prototype);
  });

  it('rejects entity declarations, including a billion-laughs attack, quickly', () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < 10; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?><!DOCTYPE opml [${levels.join('')}]><opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://e.example/f"/></body></opml>`;
    const started = performance.now();
    expect(expectInvalid(bomb).message).toMatch(/entit/i);
    // A hang guard, not a speed measure: expanding the bomb would take minutes and gigabytes.
    expect(performance.now() - started).toBeLessThan(2_000);

    expectInvalid('<!DOCTYPE opml [<!entity x "y">]><opml><body/></opml>');
    expectInvalid('<!DOCTYPE opml [<!ENTITY ext SYSTEM "file:///etc/passwd">]><opml><body><outline text="&ext;" xmlUrl="u"/></body></opml>');
  });
});
