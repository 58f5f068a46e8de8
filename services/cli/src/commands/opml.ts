import { importOutlines } from '@newsfold/api';
import { listFeeds } from '@newsfold/db';
import { decodeBody } from '@newsfold/feed-parser';
import { parseOpml, writeOpml } from '@newsfold/opml';
import { readInputFile } from '../read-input-file.js';
import type { Runtime } from '../runtime.js';

/**
 * Imports an OPML file's feeds (folders and categories become tags), as `POST /api/v1/opml` does
 * (importOutlines: http(s) only, bulk insert, first fetches queued), drawing progress on stderr.
 */
export async function opmlImport(rt: Runtime, file: string): Promise<string> {
  // As the API reads an upload: a byte order mark or the XML declaration's encoding, else UTF-8
  // (or windows-1252 when the bytes are not UTF-8).
  const outlines = parseOpml(decodeBody(await readInputFile(file)));
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => {
        const width = 30;
        const filled = total === 0 ? width : Math.round((done / total) * width);
        process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      }
    : undefined;
  const result = await importOutlines(rt, outlines, progress);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const invalid = result.invalid.map((i) => `\n  skipped ${i.xmlUrl}: ${i.reason}`).join('');
  return `imported ${outlines.length} outlines: ${result.created} new feeds, ${result.existing} already subscribed, ${result.invalid.length} invalid${invalid}`;
}

export async function opmlExport(rt: Runtime): Promise<string> {
  const feeds = await listFeeds(rt.pool);
  return writeOpml(
    feeds.map((f) => ({ xmlUrl: f.url, title: f.title, htmlUrl: f.siteUrl, tags: f.tags })),
    { title: 'newsfold subscriptions', dateCreated: new Date() },
  );
}
