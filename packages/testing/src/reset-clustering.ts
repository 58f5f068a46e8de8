/**
 * Forgets everything the normalizer and the story assigner wrote, document frequencies and the
 * document count included: the next round starts cold. (A running assigner sees the story
 * revision move and drops what it held.)
 */
export async function resetClustering(db: { query(sql: string): Promise<unknown> }): Promise<void> {
  await db.query(`TRUNCATE articles, stories, feeds, outlets, term_stats, story_separations RESTART IDENTITY CASCADE;
    UPDATE story_engine SET revision = revision + 1, documents = 0`);
}
