import { readFileSync } from 'node:fs';
import { NewsfoldError, isPermanent } from '@newsfold/errors';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
const fetchedAt = new Date('2025-06-01T00:00:00Z');

async function parseError(body: string | Uint8Array): Promise<FeedParseError> {
  const error = await parseFeed(body).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedParseError);
  return error as FeedParseError;
}

describe('HTML entities and bare ampersands in XML', () => {
  it('decodes HTML named entities and keeps bare & as text', async () => {
    const feed = await parseFeed(fixture('html-entities.xml'), { fetchedAt });
    expect(feed.title).toBe('Café\u00a0News — daily');
    expect(feed.entries.map((e) => e.title)).toEqual([
      'AT&T & Verizon & T-Mobile &bogus; &copy 2025 ’quoted’ \uFFFD',
      'Résumé «tips» …',
    ]);
    expect(feed.entries[0]?.url).toBe('https://entities.example.com/a?x=1&y=2');
  });

  it('leaves CDATA sections exactly as written', async () => {
    const feed = await parseFeed(fixture('html-entities.xml'), { fetchedAt });
    expect(feed.entries[0]?.summary).toBe('Kept as written: &nbsp; & <b>bold</b>');
  });
});

describe('dates', () => {
  it('nulls one bad date and keeps the others', async () => {
    const { entries } = await parseFeed(fixture('dates-mixed.xml'), { fetchedAt });
    expect(entries.map((e) => [e.title, e.publishedAt?.toISOString() ?? null])).toEqual([
      ['Good RFC 822', '2025-03-05T14:00:00.000Z'],
      ['Bad date', null],
      ['Wrong weekday, named zone', '2025-03-06T18:15:00.000Z'],
      ['From the future', fetchedAt.toISOString()],
    ]);
  });

  it('clamps future dates to now when no fetch time is given', async () => {
    const before = Date.now();
    const { entries } = await parseFeed(fixture('dates-mixed.xml'));
    const clamped = entries[3]?.publishedAt?.getTime() ?? 0;
    expect(clamped).toBeGreaterThanOrEqual(before);
    expect(clamped).toBeLessThanOrEqual(Date.now());
  });
});

describe('duplicate guids', () => {
  it('collapse to the first occurrence of each guid and link, for given guids and link-derived ones', async () => {
    const { entries } = await parseFeed(fixture('duplicate-guids.xml'), { fetchedAt });
    // "Second copy" links elsewhere: whether it is another article is the normalizer's call.
    expect(entries.map((e) => [e.guid, e.title])).toEqual([
      ['same-guid', 'First copy'],
      ['other-guid', 'Different'],
      ['same-guid', 'Second copy'],
      ['https://dupes.example.com/c', 'No guid, same link as nothing else'],
    ]);
  });
});

describe('not a feed', () => {
  it('rejects an HTML page as not_a_feed, permanently', async () => {
    const error = await parseError(fixture('html-page.html'));
    expect(error).toBeInstanceOf(NewsfoldError);
    expect(error.code).toBe('not_a_feed');
    expect(error.permanent).toBe(true);
    expect(isPermanent(error)).toBe(true);
  });

  it('rejects an HTML page without a doctype, and XHTML', async () => {
    expect((await parseError('<html><head><title>x</title></head><body>&nbsp;</body></html>')).code).toBe('not_a_feed');
    expect((await parseError('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>')).code).toBe('not_a_feed');
  });

  it('rejects empty bodies, plain text and other XML vocabularies as not_a_feed', async () => {
    expect((await parseError('')).code).toBe('not_a_feed');
    expect((await parseError(new Uint8Array())).code).toBe('not_a_feed');
    expect((await parseError('  \n ')).code).toBe('not_a_feed');
    expect((await parseError('Service temporarily unavailable')).code).toBe('not_a_feed');
    expect((await parseError('Error: 3 < 4 items')).code).toBe('not_a_feed');
    expect((await parseError('<?xml version="1.0"?><note><to>you</to></note>')).code).toBe('not_a_feed');
  });
});

describe('malformed XML', () => {
  it('rejects a truncated feed as invalid_feed, permanently, with the parser error as cause', async () => {
    const error = await parseError(fixture('malformed.xml'));
    expect(error.code).toBe('invalid_feed');
    expect(error.permanent).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^Malformed feed XML: /);
  });

  it('rejects mismatched tags, unquoted attributes and a bare prolog as invalid_feed', async () => {
    expect((await parseError('<rss version="2.0"><channel><title>a</titel></channel></rss>')).code).toBe('invalid_feed');
    expect((await parseError('<rss version="2.0"><channel><item id=1></item></channel></rss>')).code).toBe('invalid_feed');
    expect((await parseError('<?xml version="1.0"?><!-- only a prolog -->')).code).toBe('invalid_feed');
  });

  it('does not let a failed parse affect the next one, even concurrently', async () => {
    const good = fixture('rss1-rdf.xml');
    const results = await Promise.allSettled([parseFeed(fixture('malformed.xml')), parseFeed(good), parseFeed(fixture('html-page.html')), parseFeed(good)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await parseFeed(good)).entries).toHaveLength(2);
  });
});

describe('sloppy but readable feeds', () => {
  it('skips junk before the first tag (a PHP warning)', async () => {
    const feed = await parseFeed('Warning: something in /var/www/feed.php on line 3\n<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>');
    expect(feed.title).toBe('T');
  });

  it('skips HTML-formatted PHP warnings printed before the XML declaration', async () => {
    const body =
      '<br />\n<b>Deprecated</b>:  Function x() in <b>/var/www/feed.php</b> on line <b>12</b><br />\n' +
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Still a feed</title></channel></rss>';
    expect((await parseFeed(body)).title).toBe('Still a feed');
  });

  it('keeps a stray < inside a text element as text', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel><title>a < b</title></channel></rss>');
    expect(feed.title).toBe('a < b');
  });

  it('reads empty roots as empty feeds', async () => {
    expect(await parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"/>')).toMatchObject({ format: 'atom', entries: [] });
    expect(await parseFeed('<rss version="2.0"></rss>')).toMatchObject({ format: 'rss', entries: [] });
    expect(await parseFeed('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')).toMatchObject({ format: 'rss' });
  });

  it('keeps empty <item/>s once (identical, so one guid) beside their siblings; the normalizer skips them', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel><item/><item></item><item><title>real</title></item></channel></rss>');
    expect(feed.entries.map((e) => e.title)).toEqual(['', 'real']);
  });

  it('parses a large feed in reasonable time', async () => {
    const items = Array.from(
      { length: 5_000 },
      (_, i) => `<item><title>Item ${i} &mdash; &amp;</title><link>https://big.example/${i}</link><pubDate>Mon, 10 Mar 2025 09:30:00 GMT</pubDate><description><![CDATA[<p>${'x'.repeat(200)}</p>]]></description></item>`,
    ).join('');
    const started = performance.now();
    const feed = await parseFeed(`<rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`);
    expect(feed.entries).toHaveLength(5_000);
    expect(feed.entries[4_999]?.title).toBe('Item 4999 — &');
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
