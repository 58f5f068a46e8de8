import { readFile } from 'node:fs/promises';
import { countFeeds, insertFeeds, upsertTopic, withTransaction, type Pool } from '@newsfold/db';
import type { Logger } from '@newsfold/logging';
import { parseOpml } from '@newsfold/opml';

export const STARTER_OPML = new URL('../../../infra/starter.opml', import.meta.url);

/** Topics every install starts with; admins can change or remove them. */
export const STARTER_TOPICS = [
  { slug: 'world', title: 'World', description: 'World news from the starter outlets', tags: ['world'] },
  { slug: 'business', title: 'Business', description: 'Business and economy', tags: ['business'] },
  { slug: 'tech', title: 'Technology', description: 'Technology news', tags: ['tech'] },
  { slug: 'top', title: 'Top stories', description: 'Stories covered by at least three outlets', tags: [], minSources: 3 },
];

/**
 * On first start (no feeds at all) subscribe to the bundled starter list and create the starter
 * topics, so `docker compose up` shows real stories within minutes. Runs in one transaction under
 * an advisory lock, so two replicas starting together subscribe once.
 */
export async function applyFirstStart(pool: Pool, log: Logger, options: { opml?: URL } = {}): Promise<number> {
  const outlines = parseOpml(await readFile(options.opml ?? STARTER_OPML, 'utf8'));
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7310432119)');
    if ((await countFeeds(tx)) > 0) return 0;
    await insertFeeds(tx, outlines.map((o) => ({ url: o.xmlUrl, tags: o.tags, title: o.title })));
    for (const t of STARTER_TOPICS) await upsertTopic(tx, t, { onlyIfMissing: true });
    log.info({ feeds: outlines.length, topics: STARTER_TOPICS.length }, 'first start: subscribed to the starter feeds');
    return outlines.length;
  });
}
