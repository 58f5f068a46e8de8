/** Forgets everything the normalizer wrote, document frequencies included: the next round starts cold. */
export async function resetClustering(db: { query(sql: string): Promise<unknown> }): Promise<void> {
  await db.query('TRUNCATE articles, stories, feeds, outlets, term_stats, story_separations RESTART IDENTITY CASCADE');
}
