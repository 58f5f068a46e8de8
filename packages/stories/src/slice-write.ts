import { resolveMerges, type ArticleToIndex, type Placement, type StoryIndex } from '@newsfold/clustering';
import {
  countTermDocuments,
  foldStories,
  inheritSeparations,
  insertReservedStories,
  noteUnpostedArticles,
  placeInStories,
  postStoryTerms,
  refreshStories,
  type CandidateStoryRow,
  type StoryTx,
} from '@newsfold/db';

/** A story placed in memory and not stored yet, with the article that started it. */
export interface StartedStory {
  leadArticleId: string;
  title: string;
  eventAt: Date;
}

/**
 * What storage is told of one slice of a batch, fixed as the index stood when the slice was
 * placed: the next slice may be placed while this one is written, and must not change it.
 */
export interface SliceWrite {
  newStories: ({ id: string } & StartedStory)[];
  placements: { articleId: string; storyId: string; score: number; reason: string }[];
  folds: { from: string; into: string; score: number; reason: string }[];
  /** Survivor → the stories folded into it that an editor had kept apart from others. */
  inherit: Map<string, string[]>;
  centroids: CandidateStoryRow[];
  /** Placed articles whose postings and document counts are written later (unposted_articles). */
  unposted: string[];
  /** Postings and counts written now: those of articles stored without features (computed when placed). */
  postings: { term: string; storyId: string; lastAt: Date }[];
  counts: Map<string, number>;
  refresh: string[];
  merges: number;
}

/**
 * What to write for a slice just placed. `started`: the stories placed in memory since the last
 * slice was planned (those still in the index are stored now; the others were folded into an
 * older story within the slice and never are). `apart`: the stories an editor kept apart from
 * others, as held before the slice. `computed`: the articles whose features were not stored but
 * computed to place them (postings written later are read from the stored ones).
 */
export function planSlice(
  index: StoryIndex,
  articles: readonly ArticleToIndex[],
  placements: readonly Placement[],
  started: ReadonlyMap<string, StartedStory>,
  apart: ReadonlySet<string>,
  computed: ReadonlySet<string> = new Set(),
): SliceWrite {
  // Where each story of the slice ended up: merges may chain (a into b, later b into c).
  const { mergedInto, final } = resolveMerges(placements);
  const newStories = [...started].filter(([id]) => index.stories.has(id)).map(([id, lead]) => ({ id, ...lead }));

  // Every article in its final story. One whose story was folded into another says so.
  const placed = placements.map((p) => {
    const merge = p.storyId !== final(p.storyId) ? mergedInto.get(p.storyId) : undefined;
    return merge
      ? { articleId: p.articleId, storyId: final(p.storyId), score: merge.score, reason: `merged: ${merge.score.toFixed(2)}` }
      : { articleId: p.articleId, storyId: p.storyId, score: p.score, reason: p.reason };
  });
  // Stories started within the slice were never stored: folding them moves nothing.
  const folds = [...mergedInto]
    .filter(([from]) => !started.has(from))
    .map(([from, m]) => ({ from, into: final(m.into), score: m.score, reason: `merged: ${m.score.toFixed(2)}` }));
  const inherit = new Map<string, string[]>();
  for (const f of folds) if (apart.has(f.from)) inherit.set(f.into, [...(inherit.get(f.into) ?? []), f.from]);

  const touched = new Set(placed.map((p) => p.storyId));
  for (const f of folds) touched.add(f.into);
  // A story's fields are replaced, never changed in place, as articles join it: these are the
  // slice's, whatever the next slice does.
  const centroids = [...touched].flatMap((id) => {
    const story = index.stories.get(id);
    const centroid = index.centroidOf(id);
    return story && centroid ? [{ storyId: id, centroid, lastEventAt: new Date(story.lastAt), signatures: story.signatures, titleKeys: story.titleKeys }] : [];
  });
  const postings = articles.flatMap((a, i) => {
    if (!computed.has(a.id)) return [];
    const storyId = (placed[i] as { storyId: string }).storyId;
    return Object.keys(a.features.terms).map((term) => ({ term, storyId, lastAt: a.eventAt }));
  });
  const counts = new Map<string, number>();
  for (const a of articles) if (computed.has(a.id)) for (const term of Object.keys(a.features.terms)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return {
    newStories,
    placements: placed,
    folds,
    inherit,
    centroids,
    unposted: articles.filter((a) => !computed.has(a.id)).map((a) => a.id),
    postings,
    counts,
    refresh: [...touched, ...folds.map((f) => f.from)],
    merges: mergedInto.size,
  };
}

/**
 * Writes a planned slice, one set-based statement per kind. Returns how many articles it noted
 * unposted: the slice's own, and those of the stories it folded into others.
 */
export async function writeSlice(tx: StoryTx, plan: SliceWrite): Promise<number> {
  await insertReservedStories(tx, plan.newStories);
  await placeInStories(tx, plan.placements);
  const moved = await foldStories(tx, plan.folds);
  // Only a story an editor kept apart from another has separations to pass on.
  for (const [into, froms] of plan.inherit) await inheritSeparations(tx, froms, into, [into, ...froms]);
  await noteUnpostedArticles(tx, plan.unposted);
  await postStoryTerms(tx, plan.postings);
  await countTermDocuments(tx, plan.counts);
  // Placing only adds articles: only the stories folded away can be left empty.
  await refreshStories(tx, plan.refresh, { mayBeEmpty: plan.folds.map((f) => f.from), clustering: plan.centroids });
  return plan.unposted.length + moved;
}
