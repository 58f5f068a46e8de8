import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { finalizeEntries, type EntryDraft } from './entries.js';
import { parseFeed, type ParsedEntry } from './index.js';
import { parseFeedDrafts, type DraftFeed } from './parse-feed.js';

/**
 * Conformance against gofeed's test suite (../shared/corpora/gofeed, MIT): all 539 input/expected
 * pairs. The translator fixtures (and the extensions/ ones) pair an input with gofeed's
 * format-independent output (`gofeed.Feed`), so they say what a mature parser extracts for each
 * RSS/Atom/JSON Feed construct. We map our ParsedFeed onto gofeed's field names and compare only the
 * keys the expected JSON has (each fixture tests one construct and leaves everything else out). The
 * translator set carries the ≥ 95 % assertion. The parser/ fixtures expect gofeed's format-specific
 * models (rss.Feed, atom.Feed, the JSON Feed itself); they are first rewritten into the translator
 * vocabulary (see toTranslatorModel) and compared the same way, for information: per-folder rates.
 *
 * Mapping choices (where our documented semantics differ from gofeed's model):
 * - title: gofeed and we both give the text as written (entities decoded, whitespace trimmed).
 * - link / feed link: our `url` / `siteUrl` are WHATWG-normalised absolute URLs (`http://example.org`
 *   becomes `http://example.org/`), gofeed keeps the text; both sides are normalised before comparing.
 * - guid: gofeed's `guid` is the RSS guid / Atom id / JSON id as given; ours is that too when the
 *   feed gives one (our fallbacks to link or a hash only apply when the key is absent, so never here).
 * - published: gofeed's `publishedParsed` (which, like ours, falls back to the updated date) against
 *   our `publishedAt`, as instants. fetchedAt is far in the future so clamping cannot interfere.
 * - author: gofeed splits a person into name and email; we keep one display string, the name when
 *   there is one, else what was written (usually the bare e-mail address). So the expected value is
 *   `author.name ?? author.email` (JSON Feed 1.1 fixtures give only `authors[]`: its first entry).
 * - content: gofeed's `content` is RSS content:encoded (or atom:content), Atom <content>, JSON Feed
 *   content_html (else content_text) — exactly our `contentHtml`. gofeed's `description` (RSS
 *   description, Atom summary) is our `summary`; it is reported for information, not asserted.
 * - enclosures: url (normalised), type and length; gofeed keeps length as the string given, ours is
 *   a number, so ours is stringified. Only the sub-keys present in the expected object are compared.
 * - categories: compared as sets (we drop duplicates; the order of merged sources is not meaningful).
 *
 * Each comparison is `agree`, `disagree`, or `by design`: a difference our documented semantics make
 * on purpose, recognised by a generic rule (never by fixture name) and only when our value is the one
 * that semantics prescribes. The ≥ 95 % threshold is asserted on agree + by design; the raw
 * agreement (by design counted as disagreement) is printed beside it. The rules:
 * - `item dropped`: a repeated guid and link. newsfold keeps the first entry of each (finalizeEntries,
 *   tested in entries.test.ts); gofeed keeps every item. The field is then judged on the entry as
 *   extracted (parseFeedDrafts), so extraction is still tested; it counts as by design only if
 *   that agrees.
 * - `first <link>`: with several RSS `<link>`s gofeed takes the last, we the first (rss-entry.ts);
 *   by design when ours is the first of gofeed's own `links` (which lists them in document order).
 * - `category term`: for an Atom category with both, gofeed gives the label, we the term
 *   (atom-entry.ts, tested in parse-feed.atom.test.ts); by design when ours is the term of the
 *   `<category>` whose label gofeed gave (pairs read from the input).
 * Items are matched by position against our drafts, i.e. the feed's items in document order; each
 * is then looked up in parseFeed's finalised entries (the two are checked to agree).
 */

const CORPUS = fileURLToPath(new URL('../../../../shared/corpora/gofeed/testdata', import.meta.url));

/** Where the pairs live, and how gofeed's expected output for them is modelled. */
interface Folder {
  /** Label in the tables. */
  name: string;
  dir: string;
  model: 'translator' | 'rss' | 'atom' | 'json';
  /** Part of the asserted translator set. */
  asserted: boolean;
}

const FOLDERS: Folder[] = [
  { name: 'rss', dir: 'translator/rss', model: 'translator', asserted: true },
  { name: 'atom', dir: 'translator/atom', model: 'translator', asserted: true },
  { name: 'json', dir: 'translator/json', model: 'translator', asserted: true },
  { name: 'ext/dublincore', dir: 'extensions/dublincore', model: 'translator', asserted: false },
  { name: 'ext/itunes', dir: 'extensions/itunes', model: 'translator', asserted: false },
  { name: 'ext/media', dir: 'extensions/media', model: 'translator', asserted: false },
  { name: 'parser/rss', dir: 'parser/rss', model: 'rss', asserted: false },
  { name: 'parser/atom', dir: 'parser/atom', model: 'atom', asserted: false },
  { name: 'parser/json', dir: 'parser/json', model: 'json', asserted: false },
];

/** Far enough ahead that no fixture date is clamped to the fetch time. */
const FETCHED_AT = new Date('2100-01-01T00:00:00Z');
/** The fields the issue asks ≥ 95 % agreement on, and an informational extra. */
const ASSERTED = ['title', 'link', 'guid', 'published', 'author', 'content', 'enclosures', 'categories'] as const;
const FIELDS = [...ASSERTED, 'description'] as const;
type Field = (typeof FIELDS)[number];
const MIN_AGREEMENT = 0.95;

type Json = Record<string, unknown>;
type Verdict = 'agree' | 'by design' | 'disagree';

interface Pair {
  folder: Folder;
  name: string;
  input: string;
  expected: string;
}

interface Comparison {
  folder: Folder;
  fixture: string;
  field: Field;
  /** `feed` or `items[i]`. */
  where: string;
  verdict: Verdict;
  /** Why a difference is by design (or what went wrong). */
  note: string;
  expected: unknown;
  actual: unknown;
}

function pairsIn(folder: Folder): Pair[] {
  const dir = join(CORPUS, folder.dir);
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).sort();
  return names.flatMap((name): Pair[] => {
    // XML inputs: X.xml → X.json. JSON Feed inputs: X.json → X_expected.json.
    const expected = name.endsWith('.xml')
      ? name.replace(/\.xml$/, '.json')
      : name.endsWith('.json') && !name.endsWith('_expected.json')
        ? name.replace(/\.json$/, '_expected.json')
        : null;
    return expected && names.includes(expected) ? [{ folder, name, input: join(dir, name), expected: join(dir, expected) }] : [];
  });
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJson) : [];
}

/** `{ key: value }` for each key whose value is not undefined (so absent keys stay absent). */
function defined(entries: [string, unknown][]): Json {
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

/** The alternate link of a list of Atom links (rel alternate or none), as gofeed's atom model lists them. */
function atomAlternate(links: unknown): string | undefined {
  const link = records(links).find((l) => (typeof l.rel === 'string' ? l.rel : 'alternate') === 'alternate');
  return typeof link?.href === 'string' ? link.href : undefined;
}

/**
 * gofeed's format-specific expected output in the translator vocabulary, keeping only what the
 * fixture states. RSS: `guid.value`, `pubDateParsed`, `categories[].value`; its `author` is the raw
 * text (not a person), so it is left out. Atom: `subtitle` (feed) and `summary` are descriptions,
 * `content.value` the content, `id` the guid, the alternate of `links` the link, `publishedParsed`
 * else `updatedParsed` the date (our fallback too), `authors[0]`, `rel="enclosure"` links, and
 * categories as `term` else `label` (our choice, which the raw model lets us apply fairly). JSON
 * Feed: the document itself (id, url, content_html else content_text, date_published, tags,
 * attachments, authors/author).
 */
function toTranslatorModel(model: Folder['model'], expected: Json): Json {
  if (model === 'translator') return expected;
  if (model === 'rss') {
    return defined([
      ['title', expected.title],
      ['link', expected.link],
      ['links', expected.links],
      ['items', records(expected.items).map((item) =>
        defined([
          ['title', item.title],
          ['link', item.link],
          ['links', item.links],
          ['guid', isJson(item.guid) ? item.guid.value : undefined],
          ['publishedParsed', item.pubDateParsed],
          ['content', item.content],
          ['description', item.description],
          ['enclosures', item.enclosures],
          ['categories', 'categories' in item ? records(item.categories).map((c) => c.value) : undefined],
        ]),
      )],
    ]);
  }
  if (model === 'atom') {
    return defined([
      ['title', expected.title],
      ['link', 'links' in expected ? atomAlternate(expected.links) : undefined],
      ['items', records(expected.entries).map((entry) => {
        const enclosures = records(entry.links).filter((l) => l.rel === 'enclosure');
        return defined([
          ['title', entry.title],
          ['link', 'links' in entry ? (atomAlternate(entry.links) ?? null) : undefined],
          ['guid', entry.id],
          ['publishedParsed', entry.publishedParsed ?? entry.updatedParsed],
          ['author', records(entry.authors)[0]],
          ['content', isJson(entry.content) ? entry.content.value : entry.content],
          ['description', entry.summary],
          ['enclosures', enclosures.length > 0 ? enclosures.map((l) => ({ url: l.href, type: l.type, length: l.length })) : undefined],
          ['categories', 'categories' in entry ? records(entry.categories).map((c) => c.term ?? c.label) : undefined],
        ]);
      })],
    ]);
  }
  return defined([
    ['title', expected.title],
    ['link', expected.home_page_url],
    ['items', records(expected.items).map((item) =>
      defined([
        ['guid', item.id],
        ['link', item.url],
        ['title', item.title],
        ['content', item.content_html ?? item.content_text],
        ['description', item.summary],
        ['publishedParsed', item.date_published],
        ['author', records(item.authors)[0] ?? item.author],
        ['categories', item.tags],
        ['enclosures', 'attachments' in item
          ? records(item.attachments).map((a) => ({ url: a.url, type: a.mime_type, length: a.size_in_bytes === undefined ? undefined : String(a.size_in_bytes) }))
          : undefined],
      ]),
    )],
  ]);
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function normalUrl(value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  try {
    return new URL(raw).href;
  } catch {
    return raw;
  }
}

function instant(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

function expectedAuthor(item: Json): { present: boolean; value: string | null } {
  const authors = Array.isArray(item.authors) ? item.authors : [];
  const person = isJson(item.author) ? item.author : isJson(authors[0]) ? authors[0] : null;
  if (!person) return { present: false, value: null };
  return { present: true, value: text(person.name) ?? text(person.email) };
}

interface EnclosureView {
  url?: string | null;
  type?: string | null;
  length?: string | null;
}

/** Both enclosure lists reduced to the sub-keys gofeed's objects have, in order. */
function enclosureViews(expected: unknown, actual: ParsedEntry['enclosures']): { want: EnclosureView[]; got: EnclosureView[] } {
  const list = records(expected);
  const view = (keys: Json, enclosure: { url?: unknown; type?: unknown; length?: unknown } | undefined, ours: boolean) => {
    const v: EnclosureView = {};
    if (keys.url !== undefined) v.url = normalUrl(enclosure?.url);
    if (keys.type !== undefined) v.type = text(enclosure?.type);
    if (keys.length !== undefined) v.length = enclosure?.length == null ? null : ours ? String(enclosure.length) : text(enclosure.length);
    return v;
  };
  const keys = list[0] ?? { url: true, type: true, length: true };
  return {
    want: list.map((enclosure) => view(enclosure, enclosure, false)),
    got: actual.map((enclosure, i) => view(list[i] ?? keys, enclosure, true)),
  };
}

function textSet(values: unknown): Set<string> {
  return new Set((Array.isArray(values) ? values : []).map(text).filter((v): v is string => v !== null));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}

/** label → term of every `<category term label>` (Atom, or atom:category in RSS) in the input. */
function categoryTerms(input: string): Map<string, string> {
  const terms = new Map<string, string>();
  for (const [tag] of input.matchAll(/<(?:atom:)?category\b[^>]*>/g)) {
    const term = /\sterm\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    const label = /\slabel\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    if (term && label) terms.set(label.trim(), term.trim());
  }
  return terms;
}

/** The `first <link>` rule: an RSS feed or item with several links, ours being the first gofeed lists. */
function firstOfSeveralLinks(ours: Ours, expected: Json, url: string | null | undefined): boolean {
  const links = Array.isArray(expected.links) ? expected.links : [];
  return ours.feed?.format === 'rss' && links.length > 1 && normalUrl(links[0]) === normalUrl(url);
}

/** Our outcome for one input: the feed with its drafts, and each draft's finalised entry (null: a repeated guid and link, dropped). */
interface Ours {
  feed: DraftFeed | null;
  entries: (ParsedEntry | null)[];
  error: unknown;
}

async function parseOurs(bytes: Uint8Array): Promise<Ours> {
  let feed: DraftFeed | null = null;
  let error: unknown = null;
  try {
    feed = await parseFeedDrafts(bytes, { fetchedAt: FETCHED_AT });
  } catch (e) {
    error = e;
  }
  // finalizeEntries, one draft at a time, so each entry stays matched to its item.
  const seen = new Set<string>();
  const entries = (feed?.drafts ?? []).map((draft) => {
    const [entry] = finalizeEntries([draft], FETCHED_AT);
    if (entry === undefined) throw new Error('finalizeEntries dropped a lone draft');
    const key = `${entry.url ?? ''}\n${entry.guid}`;
    if (seen.has(key)) return null;
    seen.add(key);
    return entry;
  });
  return { feed, entries, error };
}

type Item = Pick<EntryDraft, 'title' | 'url' | 'guid' | 'publishedAt' | 'author' | 'contentHtml' | 'summary' | 'enclosures' | 'categories'>;

function compareFeed(pair: Pair, expected: Json, ours: Ours, input: string): Comparison[] {
  const out: Comparison[] = [];
  const failure = ours.error === null ? null : `threw ${String(ours.error)}`;
  const add = (field: Field, where: string, verdict: Verdict, note: string, want: unknown, got: unknown) =>
    out.push({ folder: pair.folder, fixture: pair.name, field, where, verdict, note, expected: want, actual: failure ?? got });
  const plain = (ok: boolean): Verdict => (failure === null && ok ? 'agree' : 'disagree');

  if ('title' in expected) add('title', 'feed', plain(text(expected.title) === text(ours.feed?.title)), '', expected.title, ours.feed?.title);
  if ('link' in expected) {
    const siteUrl = ours.feed?.siteUrl;
    const same = normalUrl(expected.link) === normalUrl(siteUrl);
    const first = failure === null && !same && firstOfSeveralLinks(ours, expected, siteUrl);
    add('link', 'feed', first ? 'by design' : plain(same), first ? 'first <link>' : '', expected.link, siteUrl);
  }

  records(expected.items).forEach((want, i) => {
    const where = `items[${i}]`;
    const entry = ours.entries[i] ?? null;
    const draft = ours.feed?.drafts[i];
    // A dropped item is judged on what was extracted from it (see the `item dropped` rule).
    const item: Item | undefined = entry ?? draft;
    const dropped = entry === null && draft !== undefined;
    const judge = (field: Field, same: boolean, wantValue: unknown, gotValue: unknown, designed?: { ok: boolean; note: string }) => {
      if (failure !== null || item === undefined) {
        add(field, where, 'disagree', failure === null ? 'no such item' : '', wantValue, failure === null ? '(no such item)' : null);
      } else if (same && !dropped) add(field, where, 'agree', '', wantValue, gotValue);
      else if (same) add(field, where, 'by design', 'item dropped', wantValue, gotValue);
      else if (designed?.ok) add(field, where, 'by design', designed.note + (dropped ? ', item dropped' : ''), wantValue, gotValue);
      else add(field, where, 'disagree', dropped ? 'item dropped' : '', wantValue, gotValue);
    };

    if ('title' in want) judge('title', text(want.title) === text(item?.title), want.title, item?.title);
    if ('link' in want) {
      const ok = firstOfSeveralLinks(ours, want, item?.url);
      judge('link', normalUrl(want.link) === normalUrl(item?.url), want.link, item?.url, { ok, note: 'first <link>' });
    }
    // Our entry guid falls back to the link or a hash; a draft's guid is the id as given.
    if ('guid' in want) judge('guid', text(want.guid) === text(item?.guid), want.guid, item?.guid);
    if ('publishedParsed' in want) {
      const expectedTime = instant(want.publishedParsed);
      const ourTime = instant(item?.publishedAt ?? null);
      judge('published', expectedTime === ourTime, want.publishedParsed, item?.publishedAt?.toISOString() ?? null);
    }
    const author = expectedAuthor(want);
    if (author.present) judge('author', author.value === text(item?.author), author.value, item?.author);
    if ('content' in want) judge('content', text(want.content) === text(item?.contentHtml), want.content, item?.contentHtml);
    if ('description' in want) judge('description', text(want.description) === text(item?.summary), want.description, item?.summary);
    if ('enclosures' in want) {
      const { want: w, got: g } = enclosureViews(want.enclosures, item?.enclosures ?? []);
      judge('enclosures', JSON.stringify(w) === JSON.stringify(g), w, g);
    }
    if ('categories' in want) {
      const expectedSet = textSet(want.categories);
      const ourSet = textSet(item?.categories);
      const terms = categoryTerms(input);
      const asTerms = new Set([...expectedSet].map((c) => terms.get(c) ?? c));
      judge('categories', sameSet(expectedSet, ourSet), want.categories, item?.categories, {
        ok: terms.size > 0 && sameSet(asTerms, ourSet),
        note: 'category term',
      });
    }
  });
  return out;
}

function percent(ok: number, total: number): string {
  return total === 0 ? '—' : `${((100 * ok) / total).toFixed(1)}%`;
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log([line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}

const isAsserted = (field: Field) => (ASSERTED as readonly Field[]).includes(field);

interface Tally {
  agree: number;
  designed: number;
  total: number;
}

function tally(rows: Comparison[]): Tally {
  return {
    agree: rows.filter((c) => c.verdict === 'agree').length,
    designed: rows.filter((c) => c.verdict === 'by design').length,
    total: rows.length,
  };
}

/** "agree + by design / compared (%)". */
function cell(rows: Comparison[]): string {
  const { agree, designed, total } = tally(rows);
  return total === 0 ? '—' : `${agree + designed}/${total} ${percent(agree + designed, total)}`;
}

/** "agree / compared (%)": by-design differences counted as disagreements. */
function rawCell(rows: Comparison[]): string {
  const { agree, total } = tally(rows);
  return total === 0 ? '—' : `${agree}/${total} ${percent(agree, total)}`;
}

async function compareFolders(folders: Folder[]): Promise<{ pairs: Pair[]; comparisons: Comparison[] }> {
  const pairs = folders.flatMap(pairsIn);
  const comparisons: Comparison[] = [];
  for (const pair of pairs) {
    const raw: unknown = JSON.parse(readFileSync(pair.expected, 'utf8'));
    if (!isJson(raw)) throw new Error(`${pair.expected}: not a JSON object`);
    const bytes = readFileSync(pair.input);
    const ours = await parseOurs(bytes);
    if (ours.error === null) {
      // The per-draft finalisation in parseOurs is parseFeed's, entry for entry.
      const feed = await parseFeed(bytes, { fetchedAt: FETCHED_AT });
      expect(feed.entries, pair.name).toEqual(ours.entries.filter((e) => e !== null));
    }
    comparisons.push(...compareFeed(pair, toTranslatorModel(pair.folder.model, raw), ours, bytes.toString('utf8')));
  }
  return { pairs, comparisons };
}

function report(title: string, folders: Folder[], pairs: Pair[], comparisons: Comparison[]): void {
  const select = (field?: Field, folder?: Folder) =>
    comparisons.filter((c) => (field === undefined ? isAsserted(c.field) : c.field === field) && (folder === undefined || c.folder === folder));
  console.log(`\n${title}: agree + by design / compared, per field and folder`);
  printTable(
    ['field', ...folders.map((f) => f.name), 'all', 'by design', 'raw agreement'],
    FIELDS.map((field) => [
      field + (isAsserted(field) ? '' : ' (info)'),
      ...folders.map((folder) => cell(select(field, folder))),
      cell(select(field)),
      String(tally(select(field)).designed),
      rawCell(select(field)),
    ]),
  );
  printTable(
    ['folder', 'pairs', 'pairs agreeing', 'fields (title…categories)', 'raw agreement'],
    [...folders, undefined].map((folder) => {
      const inFolder = pairs.filter((p) => folder === undefined || p.folder === folder);
      const passing = inFolder.filter((p) =>
        comparisons.every((c) => c.fixture !== p.name || c.folder !== p.folder || !isAsserted(c.field) || c.verdict !== 'disagree'),
      );
      return [
        folder?.name ?? 'all',
        String(inFolder.length),
        `${passing.length} ${percent(passing.length, inFolder.length)}`,
        cell(select(undefined, folder)),
        rawCell(select(undefined, folder)),
      ];
    }),
  );
  const notable = comparisons.filter((c) => c.verdict !== 'agree');
  if (notable.length > 0) {
    console.log('differences:');
    for (const d of notable) {
      const why = d.note ? ` (${d.note})` : '';
      console.log(
        `  ${d.verdict}${why}: ${d.folder.dir}/${d.fixture} ${d.where}.${d.field}: gofeed ${JSON.stringify(d.expected)}, ours ${JSON.stringify(d.actual)}`,
      );
    }
  }
}

describe('gofeed conformance', () => {
  it('agrees with gofeed on the translator fixtures (≥ 95 % per field)', async (ctx) => {
    ctx.skip(!existsSync(CORPUS), `gofeed corpus not found at ${CORPUS}`);
    const folders = FOLDERS.filter((f) => f.model === 'translator');
    const { pairs, comparisons } = await compareFolders(folders);
    expect(pairs.filter((p) => p.folder.asserted).length).toBeGreaterThan(90);
    report(`gofeed translator model, ${pairs.length} pairs`, folders, pairs, comparisons);

    const below = ASSERTED.flatMap((field) => {
      const { agree, designed, total } = tally(comparisons.filter((c) => c.field === field && c.folder.asserted));
      return total > 0 && (agree + designed) / total < MIN_AGREEMENT ? [`${field}: ${percent(agree + designed, total)}`] : [];
    });
    expect(below).toEqual([]);
    // And strictly, counting every deliberate difference as a disagreement, over all those fields.
    const strict = tally(comparisons.filter((c) => (ASSERTED as readonly string[]).includes(c.field) && c.folder.asserted));
    expect(strict.agree / strict.total).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('reports agreement with gofeed on the format-specific parser/ fixtures (information)', async (ctx) => {
    ctx.skip(!existsSync(CORPUS), `gofeed corpus not found at ${CORPUS}`);
    const folders = FOLDERS.filter((f) => f.model !== 'translator');
    const { pairs, comparisons } = await compareFolders(folders);
    expect(pairs.length).toBeGreaterThan(400);
    report(`gofeed parser/ fixtures, ${pairs.length} pairs (format-specific models mapped to the translator's)`, folders, pairs, comparisons);
  });
});
