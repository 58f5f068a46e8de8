import { deleteEntryBatch, loadEntryBatch } from '@newsfold/db';
import type { FetchedEntries } from '@newsfold/queue';
import { normalizeEntries, type NormalizeDeps, type NormalizeResult } from './normalize-entries.js';

/**
 * Normalises one stored entry batch, then deletes it: only then is the poller's record of the
 * fetched body fully acted on. Null when the batch is gone (another delivery of the job finished
 * it, or its feed was removed). A crash before the delete runs the batch again, which stores
 * nothing twice (normalizeEntries is idempotent).
 */
export async function normalizeBatch(deps: NormalizeDeps, batchId: string): Promise<NormalizeResult | null> {
  const batch = await loadEntryBatch<FetchedEntries>(deps.pool, batchId);
  if (!batch) return null;
  const result = await normalizeEntries(deps, batch.payload);
  await deleteEntryBatch(deps.pool, batchId);
  return result;
}
