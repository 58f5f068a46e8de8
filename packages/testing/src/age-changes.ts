/**
 * Moves every recorded change a minute back, as if the data had been written a minute ago: a
 * topic feed's Last-Modified is then final at once rather than a stopgap for a few seconds (the
 * API's lastModifiedFor), so a test can validate by date, or count replays, without waiting.
 * With `changes`, waits for the notifications these writes send.
 */
export async function ageChanges(db: { query(sql: string): Promise<unknown> }, changes?: { sync(): Promise<void> }): Promise<void> {
  await db.query("UPDATE stories SET revised_at = revised_at - interval '1 minute'");
  await db.query("UPDATE topics SET revised_at = revised_at - interval '1 minute', updated_at = updated_at - interval '1 minute'");
  await changes?.sync();
}
