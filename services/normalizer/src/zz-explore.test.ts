import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { insertFeed } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import type { NormalizeJobData } from '@newsfold/queue';
import { createTestDatabase } from '@newsfold/testing';
import { normalizeEntries } from './normalize-entries.js';

const fx = JSON.parse(readFileSync(new URL('./testdata/jeddah.json', import.meta.url), 'utf8'));
const short = new Map<string, string>();
for (const o of fx.outlets) for (const e of o.entries) short.set(new URL(e.url).toString(), `${e.event.slice(0, 6)}:${o.site.slice(0, 4)}`);
it('explore', { timeout: 600_000 }, async () => {
  const db = await createTestDatabase();
  const seen = new Map<string, number>();
  for (let round = 0; round < 30; round++) {
    await db.pool.query('TRUNCATE articles, stories, feeds, outlets, term_stats RESTART IDENTITY CASCADE');
    const outlets = [...fx.outlets].sort(() => Math.random() - 0.5);
    const jobs: NormalizeJobData[] = [];
    for (const o of outlets) {
      const { feed } = await insertFeed(db.pool, { url: `https://${o.site}/feed.xml` });
      jobs.push({ feedId: feed.id, feedUrl: feed.url, fetchedAt: '2025-03-11T14:00:00Z', feed: { title: o.name, siteUrl: `https://${o.site}/`, language: o.language },
        entries: o.entries.map((e: any) => ({ guid: e.guid, url: e.url, title: e.title, summary: e.summary, contentHtml: null, author: null, publishedAt: e.publishedAt, categories: [], imageUrl: null })) });
    }
    const deps = { pool: db.pool, log: createLogger({ level: 'silent' }), storyWindowMs: 72 * 3600000 };
    if (process.env.PAR) await Promise.all(jobs.map((j) => normalizeEntries(deps, j)));
    else for (const j of jobs) await normalizeEntries(deps, j);
    const { rows } = await db.pool.query<{ urls: string[] }>(`SELECT array_agg(url ORDER BY url) AS urls FROM articles GROUP BY story_id`);
    const sig = rows.map((r) => r.urls.map((u) => short.get(u) ?? u).join('+')).sort().join('  ');
    seen.set(sig, (seen.get(sig) ?? 0) + 1);
  }
  for (const [s, n] of seen) console.log(n, s);
  await db.drop();
});
