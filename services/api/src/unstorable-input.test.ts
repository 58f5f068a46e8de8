import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@newsfold/logging';
import { createHarness, seedFeed, type Harness } from './testdata/harness.js';

/**
 * Text Postgres refuses (U+0000 above all: "invalid byte sequence for encoding UTF8: 0x00"; a date
 * before 4714 BC) must be refused where a request comes in, as the client's mistake: a 4xx, never
 * a 500 and an error in the log. Every route is asked with a NUL in each value it reads: path
 * parameters, query parameters (known or not), JSON body strings (values and keys, nested too)
 * and OPML documents; admin routes with the admin token, so that the request gets past the check.
 */

const NUL = '%00';

interface Case {
  label: string;
  method?: string;
  path: string;
  body?: string;
  admin?: boolean;
  contentType?: string;
}

const get = (path: string, admin = false): Case => ({ label: `GET ${path}`, path, admin });
const json = (method: string, path: string, body: unknown): Case => ({
  label: `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`,
  method,
  path,
  body: JSON.stringify(body),
  admin: true,
});

const PUBLIC_GETS: Case[] = [
  ...['rss.xml', 'atom.xml', 'feed.json'].flatMap((file) => [
    get(`/topics/all${NUL}/${file}`),
    get(`/topics/${NUL}/${file}`),
    get(`/topics/all/${file}?limit=5${NUL}`),
    get(`/topics/all/${file}?min_sources=2${NUL}`),
    get(`/topics/all/${file}?other=${NUL}`),
  ]),
  get(`/topics/x${NUL}`),
  get(`/topics/x${NUL}/`),
  get(`/topics/all?cursor=${NUL}`),
  get(`/topics/all?limit=${NUL}`),
  get(`/topics/all?other=${NUL}`),
  get(`/stories/1${NUL}`),
  get(`/stories/1${NUL}/`),
  get(`/?other=${NUL}`),
  get(`/topics.opml?other=${NUL}`),
  get(`/api/v1/topics?other=${NUL}`),
  get(`/api/v1/topics/x${NUL}`),
  get(`/api/v1/topics/all${NUL}`),
  get(`/api/v1/stories?topic=a${NUL}`),
  get(`/api/v1/stories?topic=all${NUL}`),
  get(`/api/v1/stories?q=a${NUL}b`),
  get(`/api/v1/stories?q=${NUL}`),
  get(`/api/v1/stories?since=2026-01-01${NUL}`),
  get(`/api/v1/stories?until=${NUL}2026-01-01`),
  get(`/api/v1/stories?min_sources=${NUL}`),
  get(`/api/v1/stories?limit=${NUL}`),
  get(`/api/v1/stories?cursor=${NUL}`),
  get(`/api/v1/stories?other=${NUL}`),
  get(`/api/v1/stories/1${NUL}`),
  get(`/api/v1/openapi.json?other=${NUL}`),
  get(`/healthz?other=${NUL}`),
  get(`/readyz?other=${NUL}`),
  get(`/metrics?other=${NUL}`),
];

/** Other text Postgres refuses: dates before 4714 BC. */
const OUT_OF_RANGE: Case[] = [
  get('/api/v1/stories?since=-100000-01-01T00:00:00Z'),
  get('/api/v1/stories?until=-100000-01-01T00:00:00Z'),
  get(`/api/v1/stories?cursor=${Buffer.from('-100000-01-01T00:00:00.000Z|1').toString('base64url')}`),
  get(`/topics/all?cursor=${Buffer.from('-100000-01-01T00:00:00.000Z|1').toString('base64url')}`),
];

function adminCases(feedId: string): Case[] {
  const opml = (outline: string): Case => ({
    label: `POST /api/v1/opml ${outline.slice(0, 60)}`,
    method: 'POST',
    path: '/api/v1/opml',
    body: `<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>${outline}</body></opml>`,
    admin: true,
    contentType: 'text/x-opml',
  });
  return [
    get(`/api/v1/feeds?other=${NUL}`, true),
    get(`/api/v1/feeds/${feedId}${NUL}`, true),
    get(`/api/v1/feeds/${NUL}`, true),
    { label: 'DELETE feed', method: 'DELETE', path: `/api/v1/feeds/${feedId}${NUL}`, admin: true },
    { label: 'refresh feed', method: 'POST', path: `/api/v1/feeds/${feedId}${NUL}/refresh`, admin: true },
    json('PATCH', `/api/v1/feeds/${feedId}${NUL}`, { enabled: true }),
    json('PATCH', `/api/v1/feeds/${feedId}`, { title: 'a\u0000b' }),
    json('PATCH', `/api/v1/feeds/${feedId}`, { tags: ['a\u0000'] }),
    json('PATCH', `/api/v1/feeds/${feedId}`, { enabled: true, 'x\u0000': 1 }),
    json('POST', '/api/v1/feeds', { url: 'https://nul.example/feed\u0000.xml' }),
    json('POST', '/api/v1/feeds', { url: 'https://nul\u0000.example/feed.xml' }),
    json('POST', '/api/v1/feeds', { url: 'https://nul.example/feed.xml', tags: ['world\u0000'] }),
    json('POST', '/api/v1/feeds', { url: 'https://nul.example/feed.xml', tags: ['\u0000'] }),
    json('POST', '/api/v1/feeds', { url: 'https://nul.example/feed.xml', extra: { deep: ['\u0000'] } }),
    json('PUT', `/api/v1/topics/x${NUL}`, { title: 'X' }),
    json('PUT', '/api/v1/topics/nul', { title: 'X\u0000' }),
    json('PUT', '/api/v1/topics/nul', { title: 'X', description: 'd\u0000' }),
    json('PUT', '/api/v1/topics/nul', { title: 'X', query: 'ukraine\u0000' }),
    json('PUT', '/api/v1/topics/nul', { title: 'X', tags: ['world\u0000'] }),
    { label: 'DELETE topic', method: 'DELETE', path: `/api/v1/topics/x${NUL}`, admin: true },
    json('POST', '/api/v1/stories/merge', { storyIds: ['1\u0000', '2'] }),
    json('POST', `/api/v1/stories/1${NUL}/split`, { articleIds: ['1'] }),
    json('POST', '/api/v1/stories/1/split', { articleIds: ['1\u0000'] }),
    get(`/api/v1/opml?other=${NUL}`, true),
    // A raw U+0000 anywhere in the document (a reference, &#0;, is not decoded: parse-opml.test.ts).
    opml('<outline type="rss" text="f\u0000" xmlUrl="https://opml.example/f.xml"/>'),
    opml('<outline type="rss" text="g" category="wo\u0000rld" xmlUrl="https://opml.example/g.xml"/>'),
    opml('<outline text="fol\u0000der"><outline type="rss" text="h" xmlUrl="https://opml.example/h.xml"/></outline>'),
    opml('<outline type="rss" text="i" xmlUrl="https://opml.example/i\u0000.xml"/>'),
  ];
}

describe('text Postgres refuses, in any request value', () => {
  let h: Harness;
  let feedId: string;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await createHarness({ log: createLogger({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
    feedId = await seedFeed(h.db.pool, 'https://seeded.example/feed.xml', ['world']);
  });
  afterAll(async () => h?.close());

  /** What is wrong with the answer to `c`, or null when it is a proper refusal. */
  async function problem(c: Case): Promise<string | null> {
    const init: RequestInit = { method: c.method ?? 'GET', ...(c.body !== undefined ? { body: c.body } : {}) };
    const headers = c.contentType ? { 'content-type': c.contentType } : undefined;
    const res = c.admin ? await h.admin(c.path, { ...init, ...(headers ? { headers } : {}) }) : await h.request(c.path, init);
    const text = await res.text();
    const said = `${c.label}: ${res.status} ${text.slice(0, 100)}`;
    // A 404 for a path parameter no row can have (a numeric id with a NUL) is as right as a 400.
    if (res.status < 400 || res.status >= 500) return said;
    const type = res.headers.get('content-type') ?? '';
    // The web pages answer their errors as pages.
    if (type.startsWith('text/html')) return text.includes('<!doctype html>') ? null : said;
    if (!type.startsWith('application/json')) return said;
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string' ? null : said;
  }

  async function problems(cases: Case[]): Promise<string[]> {
    const found: string[] = [];
    for (const c of cases) {
      const wrong = await problem(c);
      if (wrong) found.push(wrong);
    }
    return found;
  }

  function errorsLogged(): string[] {
    return lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  }

  it('answers every public route with a 4xx, and logs no error', async () => {
    expect(await problems(PUBLIC_GETS)).toEqual([]);
    expect(errorsLogged()).toEqual([]);
  });

  it('answers dates Postgres cannot hold with a 4xx, and logs no error', async () => {
    expect(await problems(OUT_OF_RANGE)).toEqual([]);
    expect(errorsLogged()).toEqual([]);
  });

  it('answers every admin route with a 4xx, stores nothing, and logs no error', async () => {
    expect(await problems(adminCases(feedId))).toEqual([]);
    expect(errorsLogged()).toEqual([]);
    const { rows } = await h.db.pool.query<{ url: string; title: string | null; tags: string[] }>('SELECT url, title, tags FROM feeds ORDER BY id');
    // Only the seeded feed: nothing was subscribed, and it kept its title and tags.
    expect(rows).toEqual([{ url: 'https://seeded.example/feed.xml', title: null, tags: ['world'] }]);
    const topics = await h.db.pool.query<{ slug: string }>('SELECT slug FROM topics ORDER BY slug');
    expect(topics.rows.map((r) => r.slug)).toEqual(['all']);
  });
});
