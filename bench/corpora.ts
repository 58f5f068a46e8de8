import { existsSync, readFileSync } from 'node:fs';

/** ../shared/corpora beside the repository (see its README): third-party data, read in place. */
export const CORPORA = new URL('../../shared/corpora/', import.meta.url);

export function corpusPath(relative: string): URL {
  const url = new URL(relative, CORPORA);
  if (!existsSync(url)) throw new Error(`corpus file missing: ${url.pathname} (expected ../shared/corpora beside the repo)`);
  return url;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  const [header = [], ...body] = rows;
  return body.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export interface UciHeadline {
  id: number;
  title: string;
  publisher: string;
  story: string;
}

export function uciHeadlines(): UciHeadline[] {
  return parseCsv(readFileSync(corpusPath('uci-news-subset/headlines.csv'), 'utf8'))
    .map((r) => ({ id: Number(r.ID), title: r.TITLE ?? '', publisher: r.PUBLISHER ?? '', story: r.STORY ?? '' }))
    .sort((a, b) => a.id - b.id);
}

export interface StsPair {
  /** The STS benchmark's own split: 'train', 'dev' or 'test'. */
  split: string;
  score: number;
  a: string;
  b: string;
}

export function stsPairs(): StsPair[] {
  const lines = readFileSync(corpusPath('stsb-headlines/pairs.tsv'), 'utf8').split('\n');
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string) => header.indexOf(name);
  return lines
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c.length >= header.length)
    .map((c) => ({ split: c[col('split')] ?? '', score: Number(c[col('score')]), a: c[col('sentence1')] ?? '', b: c[col('sentence2')] ?? '' }));
}

/** Every distinct headline of the STS-B pairs (4,733): other events, other years, for IDF history and crowding. */
export function stsHeadlines(): string[] {
  return [...new Set(stsPairs().flatMap((p) => [p.a, p.b]))];
}
