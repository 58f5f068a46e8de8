import { readFileSync } from 'node:fs';
import { bcubed } from '@newsfold/clustering';
import { DEMO_FEEDS_DIR, startDemoServer } from '@newsfold/cli';
import { insertFeed } from '@newsfold/db';
import { parseFeed } from '@newsfold/feed-parser';
import { createLogger } from '@newsfold/logging';
import { normalizeEntries } from '@newsfold/normalizer';
import { placePending, settleStories } from '@newsfold/stories';
import type { FetchedEntries } from '@newsfold/queue';
import { resetClustering } from '@newsfold/testing/database';
import { scratchDatabase } from './scratch-db.js';
import { printTable } from './table.js';

const WINDOW = 72 * 3_600_000;

interface Gold {
  events: { name: string; guids: string[] }[];
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * `pnpm bench cluster --demo`: the bundled demo outlets (infra/demo/feeds, five feeds in five
 * formats, with their events labelled in infra/demo/expected-stories.json) fetched from the demo
 * server, parsed and normalised through the production path, once in every order of the five
 * feeds (120). Online clustering can depend on arrival order: this shows how much. Prints mean
 * B-cubed precision and recall over the orders, how many distinct groupings the orders produced,
 * every story that mixed events (or unrelated single reports) and every event left in more than
 * one story, with how often; as placed and once settled (what readers see).
 */
export async function clusterDemo(): Promise<void> {
  const gold = JSON.parse(readFileSync(new URL('expected-stories.json', new URL('..', DEMO_FEEDS_DIR)), 'utf8')) as Gold;
  const eventOf = new Map<string, string>();
  for (const e of gold.events) for (const g of e.guids) eventOf.set(g, e.name);
  const server = await startDemoServer(0);
  const db = await scratchDatabase();
  const log = createLogger({ level: 'silent' });
  try {
    const feeds = await Promise.all(
      server.feedUrls.map(async (url) => {
        const res = await fetch(url);
        return { url, feed: await parseFeed(new Uint8Array(await res.arrayBuffer()), { url, contentType: res.headers.get('content-type') }) };
      }),
    );
    interface Tally {
      precision: number;
      recall: number;
      groupings: Map<string, number>;
      mixed: Map<string, number>;
      /** Events held in more than one story, with how often. */
      apart: Map<string, number>;
    }
    const tally = (): Tally => ({ precision: 0, recall: 0, groupings: new Map(), mixed: new Map(), apart: new Map() });
    const placed = tally();
    const settled = tally();
    const look = async (t: Tally) => {
      const { rows } = await db.pool.query<{ guid: string; story: string; title: string }>(
        'SELECT guid, story_id::text AS story, title FROM articles ORDER BY story_id, guid',
      );
      const labels = rows.map((r) => eventOf.get(r.guid) ?? `single:${r.guid}`);
      const score = bcubed(
        rows.map((r) => r.story),
        labels,
      );
      t.precision += score.precision;
      t.recall += score.recall;
      const byStory = new Map<string, typeof rows>();
      for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r]);
      const key = [...byStory.values()].map((g) => g.map((r) => r.guid).join(',')).sort().join('|');
      t.groupings.set(key, (t.groupings.get(key) ?? 0) + 1);
      for (const group of byStory.values()) {
        const held = new Set(group.map((r) => eventOf.get(r.guid) ?? `single:${r.guid}`));
        if (held.size > 1) {
          const text = group.map((r) => r.title).sort().join(' + ');
          t.mixed.set(text, (t.mixed.get(text) ?? 0) + 1);
        }
      }
      const storiesOf = new Map<string, Set<string>>();
      rows.forEach((r, i) => {
        const label = labels[i] as string;
        if (!label.startsWith('single:')) storiesOf.set(label, (storiesOf.get(label) ?? new Set()).add(r.story));
      });
      for (const [event, stories] of storiesOf) if (stories.size > 1) t.apart.set(event, (t.apart.get(event) ?? 0) + 1);
    };
    const orders = permutations(feeds.map((_, i) => i));
    for (const order of orders) {
      await resetClustering(db.pool);
      for (const i of order) {
        const item = feeds[i];
        if (!item) continue;
        const { feed: row } = await insertFeed(db.pool, { url: item.url });
        const job: FetchedEntries = {
          feedId: row.id,
          feedUrl: item.url,
          fetchedAt: new Date().toISOString(),
          feed: { title: item.feed.title, siteUrl: item.feed.siteUrl, language: item.feed.language },
          entries: item.feed.entries.map((e) => ({ ...e, publishedAt: e.publishedAt?.toISOString() ?? null })),
        };
        await normalizeEntries({ pool: db.pool, log }, job);
      }
      await placePending(db.pool, { windowMs: WINDOW });
      await look(placed);
      await settleStories(db.pool, { windowMs: WINDOW, spanMs: WINDOW });
      await look(settled);
    }
    const n = orders.length;
    console.log(`\npnpm bench cluster --demo: ${feeds.length} demo feeds, ${feeds.reduce((s, f) => s + f.feed.entries.length, 0)} entries, every feed order (${n})\n`);
    printTable(
      ['', 'B-cubed precision (mean)', 'recall (mean)', 'F1 of means', 'distinct groupings', 'most common grouping'],
      ([['as placed', placed], ['settled', settled]] as const).map(([name, t]) => [
        name,
        t.precision / n,
        t.recall / n,
        (2 * t.precision * t.recall) / (n * (t.precision + t.recall)),
        String(t.groupings.size),
        `${Math.max(...t.groupings.values())} of ${n}`,
      ]),
    );
    for (const [name, t] of [['as placed', placed], ['settled', settled]] as const) {
      console.log(t.mixed.size === 0 ? `\n${name}: no story mixed events in any order` : `\n${name}: stories that mixed events:`);
      for (const [text, count] of t.mixed) console.log(`  ${count}× ${text}`);
      console.log(t.apart.size === 0 ? `${name}: every event in one story in every order` : `${name}: events left in more than one story:`);
      for (const [event, count] of t.apart) console.log(`  in ${count} of ${n} orders: ${event}`);
    }
  } finally {
    await server.close();
    await db.drop();
  }
}
