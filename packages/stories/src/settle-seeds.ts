import { sameArticle, type SettleArticle } from '@newsfold/clustering';

/** The stories as they stood before a settle pass's window: each with its articles there. */
export type Seeds = Map<string, SettleArticle[]>;

export interface HeldSeeds {
  /** The start of the window they stood before. */
  since: number;
  seeds: Seeds;
}

/**
 * The stories a pass seeds before its window. Within an hour (the same `since`), those the
 * hour's first pass read, as long as all that changed since is that the assigner merged some of
 * them (the same articles, now in fewer stories): passes within the hour then resume one from
 * another (settleGroups), where stories merged online would make each start from scratch. Else,
 * the stories as they are now, held from now on. `now`: the story each seeded story's articles
 * are in now, where what the pass puts in a seeded story goes.
 */
export function seedsFor(fresh: Seeds, since: number, held: HeldSeeds | undefined): { seeds: Seeds; now: Map<string, string>; held: HeldSeeds } {
  if (held?.since === since) {
    const now = mergedInto(held.seeds, fresh);
    if (now) return { seeds: held.seeds, now, held };
  }
  return { seeds: fresh, now: new Map([...fresh.keys()].map((id) => [id, id])), held: { since, seeds: fresh } };
}

/** Where each `held` story's articles are in `fresh`, when `fresh` is `held` with some stories merged; else null. */
function mergedInto(held: Seeds, fresh: Seeds): Map<string, string> | null {
  const where = new Map<string, { storyId: string; article: SettleArticle }>();
  for (const [storyId, articles] of fresh) for (const article of articles) where.set(article.id, { storyId, article });
  let count = 0;
  const now = new Map<string, string>();
  for (const [storyId, articles] of held) {
    let into: string | undefined;
    for (const article of articles) {
      const found = where.get(article.id);
      if (!found || !sameArticle(article, found.article) || (into !== undefined && found.storyId !== into)) return null;
      into = found.storyId;
      count += 1;
    }
    if (into !== undefined) now.set(storyId, into);
  }
  return count === where.size ? now : null;
}
