import type { FetchedEntries, WireEntry } from '@newsfold/queue';

/**
 * Entries per stored batch (and normalize job): a 100k-entry feed becomes a thousand small jobs,
 * not one huge value, and other feeds' first batches go before its second (enqueueBatches).
 */
export const NORMALIZE_CHUNK = 100;

/**
 * A feed's entries cut into chunks of about `size`; a feed with no entries still makes one (it
 * names the outlet). Entries sharing a guid stay in one chunk: the normalizer tells them apart by
 * their links only among the entries of one batch (entry-identity.ts).
 */
export function toChunks(fetched: FetchedEntries, size: number): { entries: number; payload: FetchedEntries }[] {
  const groups = new Map<string, WireEntry[]>();
  for (const entry of fetched.entries) {
    const group = groups.get(entry.guid);
    if (group) group.push(entry);
    else groups.set(entry.guid, [entry]);
  }
  const chunks: { entries: number; payload: FetchedEntries }[] = [];
  let current: WireEntry[] = [];
  const close = () => {
    chunks.push({ entries: current.length, payload: { ...fetched, entries: current } });
    current = [];
  };
  for (const group of groups.values()) {
    if (current.length > 0 && current.length + group.length > size) close();
    current.push(...group);
  }
  if (current.length > 0 || chunks.length === 0) close();
  return chunks;
}
