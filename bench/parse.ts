import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../packages/feed-parser/src/index.js';
import { corpusPath } from './corpora.js';
import { printTable } from './table.js';

/**
 * `pnpm bench parse`: throughput of newsfold's whole parse path — parseFeed(bytes): decoding,
 * entity and inline-markup fixes, rss-parser with our custom fields, mapping to entries — against
 * bare rss-parser (`new Parser().parseString(text)`, defaults) on the same documents. The bare
 * parser gets text already decoded; ours gets the bytes. The target is ours ≤ 1.3× bare.
 */

interface BareParser {
  parseString(xml: string): Promise<{ items?: unknown[] }>;
}

// The very rss-parser the feed parser uses (bench has no dependency of its own on it).
const requireFromFeedParser = createRequire(new URL('../packages/feed-parser/package.json', import.meta.url));
const RssParser = requireFromFeedParser('rss-parser') as new () => BareParser;

interface Doc {
  bytes: Uint8Array;
  text: string;
}

interface InputSet {
  name: string;
  docs: Doc[];
}

function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return xmlFiles(path);
      return name.endsWith('.xml') ? [path] : [];
    });
}

/** Every XML input of gofeed's translator and parser suites, one document each. */
function gofeedDocs(): Doc[] {
  const root = fileURLToPath(corpusPath('gofeed/testdata/'));
  return [...xmlFiles(join(root, 'translator')), ...xmlFiles(join(root, 'parser'))].map((file) => {
    const bytes = readFileSync(file);
    return { bytes, text: new TextDecoder().decode(bytes) };
  });
}

/** Deterministic pseudo-random numbers (mulberry32), so every run parses the same feed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'government minister election market shares report police court health school climate energy prices ' +
  'company chief executive talks deal council city hospital study researchers football season league ' +
  'storm weather warning officials record growth inflation bank rates budget plan service workers strike ' +
  'union vote parliament president spokesperson statement investigation safety technology data users'
).split(' ');
const CATEGORIES = ['World', 'Politics', 'Business', 'Technology', 'Science', 'Health', 'Sport', 'Culture', 'Local', 'Opinion'];

/**
 * A news site's RSS 2.0 feed of `items` items and about `targetBytes` bytes: titles with entities,
 * links, guids, RFC 822 dates, dc:creator, 1–3 categories, an HTML description in CDATA and a
 * longer content:encoded in CDATA, padded with paragraphs until the size is reached.
 */
export function generatedFeed(items: number, targetBytes: number): string {
  const next = random(20_250_601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const sentence = (n: number) => {
    const words = Array.from({ length: n }, () => pick(WORDS));
    const first = words[0] ?? '';
    return `${first.charAt(0).toUpperCase()}${first.slice(1)} ${words.slice(1).join(' ')}.`;
  };
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n' +
    '<title>Example Daily &amp; Evening News</title>\n<link>https://news.example.com/</link>\n' +
    '<atom:link href="https://news.example.com/feed.xml" rel="self" type="application/rss+xml"/>\n' +
    '<description>Latest stories</description>\n<language>en-gb</language>\n<ttl>15</ttl>\n';
  const tail = '</channel>\n</rss>\n';
  const base = Date.UTC(2025, 5, 1, 12);
  const rendered: string[] = [];
  for (let i = 0; i < items; i++) {
    const date = new Date(base - i * 7 * 60_000).toUTCString().replace('GMT', '+0000');
    const slug = `${pick(WORDS)}-${pick(WORDS)}-${i}`;
    const url = `https://news.example.com/${pick(CATEGORIES).toLowerCase()}/2025/06/${slug}?utm_source=rss&amp;utm_medium=feed`;
    const categories = Array.from({ length: 1 + Math.floor(next() * 3) }, () => `<category>${pick(CATEGORIES)}</category>`).join('');
    const title = `${sentence(6 + Math.floor(next() * 6)).slice(0, -1)} &amp; ${pick(WORDS)} &#8216;${pick(WORDS)}&#8217;`;
    const lead = sentence(18);
    rendered.push(
      `<item>\n<title>${title}</title>\n<link>${url}</link>\n<guid isPermaLink="false">urn:example:story:${100_000 + i}</guid>\n` +
        `<pubDate>${date}</pubDate>\n<dc:creator>${pick(['Ann Smith', 'Bo Chen', 'Carla Díaz', 'Dev Patel'])}</dc:creator>\n${categories}\n` +
        `<description><![CDATA[<p>${lead} <a href="https://news.example.com/${slug}">Read more</a></p>]]></description>\n` +
        `<content:encoded><![CDATA[<figure><img src="https://img.example.com/${slug}.jpg" width="800" height="450" alt=""></figure>` +
        `<p><strong>${lead}</strong></p>{BODY}]]></content:encoded>\n</item>\n`,
    );
  }
  // Spread the remaining bytes over the items as paragraphs of body text.
  const skeleton = head.length + tail.length + rendered.reduce((sum, item) => sum + item.length - '{BODY}'.length, 0);
  const perItem = Math.max(0, Math.floor((targetBytes - skeleton) / items));
  const body = rendered.map((item) => {
    let paragraphs = '';
    while (paragraphs.length < perItem - 160) paragraphs += `<p>${sentence(12 + Math.floor(next() * 10))} ${sentence(10)}</p>`;
    return item.replace('{BODY}', paragraphs.slice(0, Math.max(0, perItem)).replace(/<[^>]*$/, ''));
  });
  return head + body.join('') + tail;
}

interface Run {
  seconds: number;
  items: number;
  failures: number;
}

async function runOurs(docs: Doc[]): Promise<Run> {
  const fetchedAt = new Date('2100-01-01T00:00:00Z');
  let items = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  for (const doc of docs) {
    try {
      items += (await parseFeed(doc.bytes, { fetchedAt })).entries.length;
    } catch {
      failures++;
    }
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, items, failures };
}

async function runBare(docs: Doc[]): Promise<Run> {
  let items = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  for (const doc of docs) {
    try {
      items += (await new RssParser().parseString(doc.text)).items?.length ?? 0;
    } catch {
      failures++;
    }
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, items, failures };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const WARMUP = 3;
const REPETITIONS = 9;

/** Ours and bare alternate, so both see the same machine state; the median of each is reported. */
async function measure(set: InputSet): Promise<{ ours: Run; bare: Run }> {
  for (let i = 0; i < WARMUP; i++) {
    await runOurs(set.docs);
    await runBare(set.docs);
  }
  const ours: Run[] = [];
  const bare: Run[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    ours.push(await runOurs(set.docs));
    bare.push(await runBare(set.docs));
  }
  const pick = (runs: Run[]): Run => ({ ...(runs[0] as Run), seconds: median(runs.map((r) => r.seconds)) });
  return { ours: pick(ours), bare: pick(bare) };
}

export async function parseBench(): Promise<void> {
  const generated = generatedFeed(5_000, 5_000_000);
  const generatedBytes = new TextEncoder().encode(generated);
  const sets: InputSet[] = [
    { name: 'gofeed corpus (translator + parser XML)', docs: gofeedDocs() },
    { name: 'generated RSS 2.0, 5,000 items', docs: [{ bytes: generatedBytes, text: generated }] },
  ];

  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  for (const set of sets) {
    const { ours, bare } = await measure(set);
    const mb = set.docs.reduce((sum, doc) => sum + doc.bytes.length, 0) / 1e6;
    rows.push([
      `${set.name} (${set.docs.length} doc${set.docs.length === 1 ? '' : 's'})`,
      mb,
      ours.items,
      mb / ours.seconds,
      Math.round(ours.items / ours.seconds),
      mb / bare.seconds,
      Math.round(bare.items / bare.seconds),
      `${(ours.seconds / bare.seconds).toFixed(2)}×`,
    ]);
    notes.push(
      `${set.name}: ours ${(ours.seconds * 1e3).toFixed(1)} ms, ${ours.items} items, ${ours.failures} rejected; ` +
        `bare ${(bare.seconds * 1e3).toFixed(1)} ms, ${bare.items} items, ${bare.failures} rejected`,
    );
  }
  console.log(`Feed parsing throughput, median of ${REPETITIONS} runs after ${WARMUP} warm-ups (MB = 10^6 bytes)`);
  printTable(['input set', 'MB', 'items', 'ours MB/s', 'ours items/s', 'bare MB/s', 'bare items/s', 'ours/bare time'], rows);
  for (const note of notes) console.log(note);
}
