import { compareAge } from './formed-ids.js';
import type { SettledGroup } from './settle-groups.js';

export interface StoryIdPlan {
  /** For each group (in order): the stored story whose id it keeps, or null for a new story. */
  ids: (string | null)[];
  /** Stored stories no group kept, each with the group holding most of their articles. */
  leaving: Map<string, number>;
}

/**
 * Which stored story each settled group is: a group keeps the id of the stored story it overlaps
 * most (the larger overlap first, ties to the older story, then to the earlier group), each id
 * kept by one group at most; a fixed story keeps its own. A stored story no group kept is left by
 * its articles: it leads to the group holding most of them (ties to the earlier group).
 * `current` is each article's story now.
 */
export function planStoryIds(groups: readonly SettledGroup[], current: ReadonlyMap<string, string>): StoryIdPlan {
  const ids: (string | null)[] = groups.map((g) => g.fixedId);
  const taken = new Set(groups.flatMap((g) => (g.fixedId ? [g.fixedId] : [])));
  const overlaps: { group: number; story: string; n: number }[] = [];
  const shares = new Map<string, Map<number, number>>();
  groups.forEach((g, group) => {
    const counts = new Map<string, number>();
    for (const id of g.articleIds) {
      const story = current.get(id);
      if (story !== undefined) counts.set(story, (counts.get(story) ?? 0) + 1);
    }
    for (const [story, n] of counts) {
      let share = shares.get(story);
      if (!share) shares.set(story, (share = new Map()));
      share.set(group, n);
      if (!g.fixedId) overlaps.push({ group, story, n });
    }
  });
  overlaps.sort((a, b) => b.n - a.n || compareAge(a.story, b.story) || a.group - b.group);
  for (const o of overlaps) {
    if (ids[o.group] !== null || taken.has(o.story)) continue;
    ids[o.group] = o.story;
    taken.add(o.story);
  }
  const leaving = new Map<string, number>();
  for (const [story, share] of shares) {
    if (taken.has(story)) continue;
    let best = -1;
    for (const [group, n] of share) if (best < 0 || n > (share.get(best) ?? 0) || (n === share.get(best) && group < best)) best = group;
    leaving.set(story, best);
  }
  return { ids, leaving };
}
