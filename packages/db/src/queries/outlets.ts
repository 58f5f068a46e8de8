import type { Queryable } from '../pool.js';

/** Returns the outlet for a site, creating it on first sight. Safe under concurrent callers. */
export async function ensureOutlet(
  db: Queryable,
  outlet: { siteKey: string; name: string; siteUrl: string | null },
): Promise<string> {
  // DO UPDATE (a no-op write) rather than DO NOTHING so RETURNING yields the existing row's id too.
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO outlets (site_key, name, site_url) VALUES ($1, $2, $3)
     ON CONFLICT (site_key) DO UPDATE SET site_key = excluded.site_key
     RETURNING id::text`,
    [outlet.siteKey, outlet.name, outlet.siteUrl],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`outlet ${outlet.siteKey} was not returned`);
  return id;
}
