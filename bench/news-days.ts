import { readFileSync } from 'node:fs';
import { bcubed } from '@newsfold/clustering';
import { insertFeed, type Pool } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { normalizeEntries } from '@newsfold/normalizer';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { placePending, settleStories } from '@newsfold/stories';
import { stsHeadlines } from './corpora.js';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOW = 3 * DAY;

/** A news day written as test data (services/normalizer/src/testdata): outlets' entries, each labelled with its event. */
export interface NewsDay {
  events: Record<string, string>;
  outlets: { site: string; name: string; language: string | null; entries: { event: string; guid: string; url: string; title: string; summary: string | null; publishedAt: string }[] }[];
}

const DAYS = ['jeddah.json', 'crowded-day.json', 'busy-day.json', 'third-day.json'];

export function loadDay(file: string): NewsDay {
  return JSON.parse(readFileSync(new URL(`../services/normalizer/src/testdata/${file}`, import.meta.url), 'utf8')) as NewsDay;
}

function wire(guid: string, title: string, summary: string | null, url: string | null, publishedAt: string | null): WireEntry {
  return { guid, url, title, summary, contentHtml: null, author: null, publishedAt, categories: [], imageUrl: null };
}

async function normalize(pool: Pool, url: string, title: string, entries: WireEntry[]): Promise<void> {
  const { feed } = await insertFeed(pool, { url });
  const job: FetchedEntries = { feedId: feed.id, feedUrl: feed.url, fetchedAt: new Date().toISOString(), feed: { title, siteUrl: null, language: 'en' }, entries };
  await normalizeEntries({ pool, log: createLogger({ level: 'silent' }) }, job);
}

interface DayScore {
  score: ReturnType<typeof bcubed>;
  stories: number;
  /** Stories holding more than one event, each as the events' headlines. */
  mixed: string[][];
}

/**
 * One day through the production path in a scratch database: the STS-B headlines as history (as
 * `bench cluster` gives the UCI day; two months before, for IDF only), then one normalize job
 * per outlet, the assigner, and the settle pass over the day. `headlinesOnly`: the feeds carry no
 * summaries.
 */
async function scoreDay(day: NewsDay, headlinesOnly: boolean): Promise<DayScore> {
  const db = await scratchDatabase();
  try {
    const newest = Math.max(...day.outlets.flatMap((o) => o.entries.map((e) => Date.parse(e.publishedAt))));
    const history = stsHeadlines();
    const longAgo = new Date(newest - 60 * DAY).toISOString();
    for (let i = 0; i < history.length; i += 500) {
      await normalize(db.pool, 'https://history.bench.invalid/feed', 'History', history.slice(i, i + 500).map((t, k) => wire(`h${i + k}`, t, null, null, longAgo)));
    }
    for (const outlet of day.outlets) {
      const entries = outlet.entries.map((e) => wire(e.guid, e.title, headlinesOnly ? null : e.summary, e.url, e.publishedAt));
      await normalize(db.pool, `https://${outlet.site}/feed.xml`, outlet.name, entries);
    }
    await placePending(db.pool, { windowMs: WINDOW });
    await settleStories(db.pool, { windowMs: WINDOW, spanMs: DAY, now: new Date(newest + HOUR) });
    const { rows } = await db.pool.query<{ guid: string; story: string; title: string }>(
      `SELECT guid, story_id::text AS story, title FROM articles WHERE guid NOT LIKE 'h%' ORDER BY event_at, id`,
    );
    const eventOf = new Map(day.outlets.flatMap((o) => o.entries.map((e) => [e.guid, e.event] as const)));
    const score = bcubed(rows.map((r) => r.story), rows.map((r) => eventOf.get(r.guid) ?? `unknown-${r.guid}`));
    const byStory = new Map<string, { event: string; title: string }[]>();
    for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), { event: eventOf.get(r.guid) ?? '?', title: r.title }]);
    const mixed = [...byStory.values()].filter((members) => new Set(members.map((m) => m.event)).size > 1).map((members) => members.map((m) => `[${m.event}] ${m.title}`));
    return { score, stories: byStory.size, mixed };
  } finally {
    await db.drop();
  }
}

/**
 * `pnpm bench cluster`, last table: the news days written as test data (never fitted on), with
 * their summaries and as headline-only feeds; then every story that mixes events.
 */
export async function newsDays(): Promise<void> {
  const rows: (string | number)[][] = [];
  const mixedReports: string[] = [];
  for (const file of DAYS) {
    const day = loadDay(file);
    const entries = day.outlets.reduce((n, o) => n + o.entries.length, 0);
    for (const headlinesOnly of [false, true]) {
      const { score, stories, mixed } = await scoreDay(day, headlinesOnly);
      const label = `${file} (${Object.keys(day.events).length} events, ${entries} reports), ${headlinesOnly ? 'headlines only' : 'headline and summary'}`;
      rows.push([label, score.precision, score.recall, score.f1, String(stories), String(mixed.length)]);
      for (const members of mixed) mixedReports.push(`  ${label}:\n${members.map((m) => `    ${m}`).join('\n')}`);
    }
  }
  console.log('\nNews days written as test data (services/normalizer/src/testdata; never fitted on), settled; B-cubed against their events\n');
  printTable(['day', 'precision', 'recall', 'F1', 'stories', 'stories mixing events'], rows);
  if (mixedReports.length > 0) console.log(`\nStories mixing events:\n${mixedReports.join('\n')}`);
}
