import { readFileSync } from 'node:fs';
import { insertFeed, type Pool } from '@newsfold/db';
import type { FetchedEntries, WireEntry } from '@newsfold/queue';
import { canonicalUrl } from '@newsfold/text';

/**
 * A news day written as test data (testdata/jeddah.json): several outlets' feeds, each entry
 * labelled with the real-world event it reports. Helpers turn it into normalize jobs (one per
 * outlet, as the poller sends them) and read back how the normalizer grouped it.
 */

export interface DayEntry {
  event: string;
  guid: string;
  url: string;
  title: string;
  summary: string | null;
  publishedAt: string;
}

export interface DayOutlet {
  site: string;
  name: string;
  language: string | null;
  entries: DayEntry[];
}

export interface NewsDay {
  about: string;
  events: Record<string, string>;
  outlets: DayOutlet[];
}

export function loadNewsDay(file = 'jeddah.json'): NewsDay {
  return JSON.parse(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')) as NewsDay;
}

export function feedUrlOf(outlet: DayOutlet): string {
  return `https://${outlet.site}/feed.xml`;
}

/** Every entry with its outlet and the URL the normalizer stores for it. */
export function dayEntries(day: NewsDay): (DayEntry & { outlet: DayOutlet; storedUrl: string })[] {
  return day.outlets.flatMap((outlet) =>
    outlet.entries.map((entry) => {
      const storedUrl = canonicalUrl(entry.url, feedUrlOf(outlet));
      if (storedUrl === null) throw new Error(`fixture URL is not canonicalisable: ${entry.url}`);
      return { ...entry, outlet, storedUrl };
    }),
  );
}

/** Gold grouping: each event as the sorted stored URLs of its articles, events sorted. */
export function goldGroups(day: NewsDay): string[][] {
  const byEvent = new Map<string, string[]>();
  for (const e of dayEntries(day)) byEvent.set(e.event, [...(byEvent.get(e.event) ?? []), e.storedUrl]);
  return sortGroups([...byEvent.values()]);
}

export function sortGroups(groups: string[][]): string[][] {
  return groups.map((g) => [...g].sort()).sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : a.join(' ') > b.join(' ') ? 1 : 0));
}

function wireEntry(entry: DayEntry): WireEntry {
  return {
    guid: entry.guid,
    url: entry.url,
    title: entry.title,
    summary: entry.summary,
    contentHtml: null,
    author: null,
    publishedAt: entry.publishedAt,
    categories: [],
    imageUrl: null,
  };
}

/** Subscribes to every outlet's feed and returns one normalize job per outlet, in fixture order. */
export async function dayJobs(pool: Pool, day: NewsDay, fetchedAt = '2025-03-11T14:00:00Z'): Promise<FetchedEntries[]> {
  const jobs: FetchedEntries[] = [];
  for (const outlet of day.outlets) {
    const { feed } = await insertFeed(pool, { url: feedUrlOf(outlet) });
    jobs.push({
      feedId: feed.id,
      feedUrl: feed.url,
      fetchedAt,
      feed: { title: outlet.name, siteUrl: `https://${outlet.site}/`, language: outlet.language },
      entries: outlet.entries.map(wireEntry),
    });
  }
  return jobs;
}

/** Each story as the sorted URLs of its articles, stories sorted: independent of ids and of which race won. */
export async function storyGroups(pool: Pool): Promise<string[][]> {
  const { rows } = await pool.query<{ urls: string[] }>(
    'SELECT array_agg(url ORDER BY url) AS urls FROM articles WHERE story_id IS NOT NULL GROUP BY story_id',
  );
  return sortGroups(rows.map((r) => r.urls));
}

export interface Placement {
  url: string;
  title: string;
  storyId: string;
  storyTitle: string;
  sourceCount: number;
  reason: string | null;
  score: number | null;
  eventAt: Date;
}

export async function placements(pool: Pool): Promise<Placement[]> {
  const { rows } = await pool.query<Placement>(
    `SELECT a.url, a.title, a.story_id::text AS "storyId", s.title AS "storyTitle", s.source_count AS "sourceCount",
            a.match_reason AS reason, a.match_score AS score, a.event_at AS "eventAt"
     FROM articles a JOIN stories s ON s.id = a.story_id ORDER BY s.id, a.event_at, a.id`,
  );
  return rows;
}

/**
 * What the normalizer did, story by story, for failure messages: each article's event, outlet,
 * time, reason and score (for a new story, the score is its best candidate's, the one it missed).
 */
export function describePlacements(day: NewsDay, rows: Placement[]): string {
  const byUrl = new Map(dayEntries(day).map((e) => [e.storedUrl, e]));
  const lines: string[] = [];
  let current = '';
  for (const r of rows) {
    if (r.storyId !== current) {
      current = r.storyId;
      lines.push(`story ${r.storyId} (${r.sourceCount} sources) “${r.storyTitle}”`);
    }
    const e = byUrl.get(r.url);
    const why = r.reason === 'new-story' ? `new-story (best candidate ${(r.score ?? 0).toFixed(2)})` : r.reason;
    lines.push(`  [${e?.event ?? '?'}] ${e?.outlet.site ?? '?'} ${r.eventAt.toISOString().slice(11, 16)} ${why}: ${r.title}`);
  }
  return `\n${lines.join('\n')}\n`;
}

export async function clusteringHealth(pool: Pool) {
  const { rows } = await pool.query<{ articles: number; unassigned: number; stories: number; empty: number; drift: number }>(
    `SELECT (SELECT count(*)::int FROM articles) AS articles,
            (SELECT count(*)::int FROM articles WHERE story_id IS NULL) AS unassigned,
            (SELECT count(*)::int FROM stories) AS stories,
            (SELECT count(*)::int FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)) AS empty,
            (SELECT count(*)::int FROM stories s WHERE s.article_count <> (SELECT count(*) FROM articles a WHERE a.story_id = s.id)
               OR s.source_count <> (SELECT count(DISTINCT outlet_id) FROM articles a WHERE a.story_id = s.id)) AS drift`,
  );
  return rows[0];
}
