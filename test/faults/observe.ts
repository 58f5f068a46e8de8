import { createPool, type Pool } from '@newsfold/db';

/** What the database holds, read while a scenario runs: null while Postgres cannot be reached. */
export interface Progress {
  /** Links stored (what was stored and never served is counted once settled, by measure()). */
  stored: number;
  /** Articles with no story (any link). */
  unplaced: number;
  /** Feeds fetched successfully at least once. */
  fetchedFeeds: number;
}

/** The figures a scenario is judged by, read once it has settled. */
export interface Measurement {
  served: number;
  /** Served links stored (at least once). */
  stored: number;
  /** Rows beyond the first for one link. */
  duplicates: number;
  /** Articles without a story. */
  unplaced: number;
  /** Articles whose link was never served. */
  stray: number;
  /** Placed articles of served links, grouped by story. */
  groups: string[][];
}

export interface Observer {
  progress(): Promise<Progress | null>;
  measure(servedLinks: readonly string[]): Promise<Measurement>;
  close(): Promise<void>;
}

export function createObserver(databaseUrl: string): Observer {
  const pool: Pool = createPool(databaseUrl, { max: 2, applicationName: 'fault-suite' });
  // Postgres is restarted and stopped under this pool on purpose: a dropped idle connection is expected.
  pool.on('error', () => undefined);
  return {
    progress: async () => {
      try {
        const { rows } = await pool.query<Progress>(
          `SELECT (SELECT count(DISTINCT url)::int FROM articles) AS stored,
                  (SELECT count(*)::int FROM articles WHERE story_id IS NULL) AS unplaced,
                  (SELECT count(*)::int FROM feeds WHERE last_success_at IS NOT NULL) AS "fetchedFeeds"`,
        );
        return rows[0] ?? null;
      } catch {
        return null;
      }
    },
    measure: async (servedLinks) => {
      const { rows } = await pool.query<{ url: string | null; story: string | null; copies: number }>(
        `SELECT url, min(story_id)::text AS story, count(*)::int AS copies FROM articles GROUP BY url`,
      );
      const served = new Set(servedLinks);
      const byStory = new Map<string, string[]>();
      const measurement: Measurement = { served: served.size, stored: 0, duplicates: 0, unplaced: 0, stray: 0, groups: [] };
      for (const row of rows) {
        const known = row.url !== null && served.has(row.url);
        if (known) measurement.stored += 1;
        else measurement.stray += row.copies;
        measurement.duplicates += row.copies - 1;
        if (known && row.story !== null) byStory.set(row.story, [...(byStory.get(row.story) ?? []), row.url as string]);
      }
      const { rows: unplaced } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE story_id IS NULL');
      measurement.unplaced = unplaced[0]?.n ?? 0;
      measurement.groups = [...byStory.values()];
      return measurement;
    },
    close: () => pool.end(),
  };
}
