import { readFile } from 'node:fs/promises';
import { insertFeed, listFeeds } from '@newsfold/db';
import { parseOpml, writeOpml } from '@newsfold/opml';
import type { Runtime } from '../runtime.js';

/** Imports an OPML file's feeds (folders and categories become tags), drawing progress on stderr. */
export async function opmlImport(rt: Runtime, file: string): Promise<string> {
  const outlines = parseOpml(await readFile(file, 'utf8'));
  let created = 0;
  const progress = process.stderr.isTTY ? (done: number) => {
    const width = 30;
    const filled = Math.round((done / outlines.length) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${outlines.length}`);
  } : () => undefined;
  for (const [i, o] of outlines.entries()) {
    let url: string;
    try {
      url = new URL(o.xmlUrl).href;
    } catch {
      continue;
    }
    if ((await insertFeed(rt.pool, { url, tags: o.tags, title: o.title })).created) created += 1;
    progress(i + 1);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  return `imported ${outlines.length} outlines: ${created} new feeds, ${outlines.length - created} already subscribed or invalid`;
}

export async function opmlExport(rt: Runtime): Promise<string> {
  const feeds = await listFeeds(rt.pool);
  return writeOpml(
    feeds.map((f) => ({ xmlUrl: f.url, title: f.title, htmlUrl: f.siteUrl, tags: f.tags })),
    { title: 'newsfold subscriptions', dateCreated: new Date() },
  );
}
