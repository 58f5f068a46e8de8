import { CENTROID_TERMS } from './decide-story.js';
import { isFormed } from './formed-ids.js';
import type { SettleArticle, SettledGroup } from './settle-groups.js';
import { addTerms, idfFromCounts, truncateTerms, type Idf } from './similarity.js';
import { agreement, joinNearby, splitGroup, SPLIT_MAX_ARTICLES, type AgreeingGroup } from './split-groups.js';
import { STORY_MEMORY, type Placement, type StoryIndex } from './story-index.js';

/**
 * The settle pass's article-level steps, after placing has grouped the window by centroid: each
 * story split where its articles disagree (splitGroup), then stories a report came near joined
 * where their reports agree (joinNearby). Scoring every pair of a large story takes a while, so
 * the work awaits `between` every PAIRS_PER_STEP pairs (the caller's chance to let its event loop
 * run, or to stop: null); a story whose articles are the very ones the previous pass split (the
 * same article objects, the same IDF) is split as it was, without scoring it again.
 */

/** Pair scores between two calls of `between` (some 20–60 ms). */
const PAIRS_PER_STEP = 20_000;

export interface RegroupInput {
  /** Each story placing left (by id), its articles in canonical order. */
  members: ReadonlyMap<string, readonly SettleArticle[]>;
  /** A fixed story's own articles (an editor's, or from before the window), which stay together. */
  own: ReadonlyMap<string, ReadonlySet<string>>;
  placements: readonly Placement[];
  /** The story a story id ended in, once every merge is followed. */
  final: (storyId: string) => string;
  /** The index placing left: a story the steps did not change keeps its centroid and memory. */
  index: StoryIndex;
  df: ReadonlyMap<string, number>;
  documents: number;
  /** Canonical order of articles (settle-groups' byCanonical). */
  order: (articles: readonly SettleArticle[]) => SettleArticle[];
}

export interface Regrouped {
  groups: SettledGroup[];
  /** For the articles of groups the steps made: 'settled' and how much each agrees with its group. */
  agreed: Map<string, { score: number; reason: string }>;
}

interface Part extends AgreeingGroup<SettleArticle> {
  storyId: string;
  fixedId: string | null;
  /** The index's story as it stands (its centroid and memory are the index's). */
  whole: boolean;
}

export async function regroup(input: RegroupInput, between: () => Promise<boolean>): Promise<Regrouped | null> {
  const idf = passIdf(input.df, input.documents);
  let pairs = 0;
  /** Counts `n` pair scores; false when the caller said to stop at the step this reached. */
  const spend = async (n: number): Promise<boolean> => {
    pairs += n;
    if (pairs < PAIRS_PER_STEP) return true;
    pairs = 0;
    return between();
  };

  const parts: Part[] = [];
  const partsOf = new Map<string, number[]>();
  const splits = splitCache(idf);
  for (const [id, ordered] of input.members) {
    if (ordered.length === 0) continue;
    const given = input.own.get(id);
    const seed = given ? ordered.flatMap((a, i) => (given.has(a.id) ? [i] : [])) : [];
    let pieces = splits.known(id, ordered, seed);
    if (!pieces) {
      pieces = await splitGroup(ordered, idf, seed, spend);
      if (!pieces) return null;
      splits.keep(id, ordered, seed, pieces);
    }
    for (const piece of pieces) {
      // The piece holding what was given keeps a fixed story's id; the others are new.
      const keepsId = !isFormed(id) && (pieces.length === 1 || piece.some((i) => seed.includes(i)));
      partsOf.set(id, [...(partsOf.get(id) ?? []), parts.length]);
      parts.push({ storyId: id, articles: piece.map((i) => ordered[i] as SettleArticle), fixed: keepsId, fixedId: keepsId ? id : null, whole: pieces.length === 1 });
    }
  }
  splits.done();

  const partOf = new Map<string, number>();
  parts.forEach((part, k) => part.articles.forEach((a) => partOf.set(a.id, k)));
  const near: [number, number][] = [];
  for (const p of input.placements) {
    const from = partOf.get(p.articleId);
    if (from === undefined) continue;
    for (const storyId of p.nearby) for (const to of partsOf.get(input.final(storyId)) ?? []) if (to !== from) near.push([from, to]);
  }
  const together = await joinNearby(parts, near, idf, spend);
  if (!together) return null;
  const joined = new Set<number>();
  for (const ks of together) {
    const kept = ks.map((k) => parts[k] as Part);
    const fixedId = kept.find((part) => part.fixedId !== null)?.fixedId ?? null;
    for (const k of ks) joined.add(k);
    parts.push({ storyId: '', articles: input.order(kept.flatMap((part) => part.articles)), fixed: fixedId !== null, fixedId, whole: false });
  }

  const agreed = new Map<string, { score: number; reason: string }>();
  const groups: SettledGroup[] = [];
  for (const [k, part] of parts.entries()) {
    if (joined.has(k)) continue;
    if (part.whole) {
      const story = input.index.stories.get(part.storyId);
      if (!story) throw new Error(`settled story ${part.storyId} is not in the index`);
      const storyId = part.storyId;
      groups.push({
        fixedId: part.fixedId,
        articleIds: part.articles.map((a) => a.id),
        centroid: () => input.index.centroidOf(storyId) ?? {},
        lastEventAt: new Date(story.lastAt),
        signatures: story.signatures,
        titleKeys: story.titleKeys,
      });
      continue;
    }
    // A group the steps made: its placed articles' scores say how much they agree with it.
    if (part.articles.length <= SPLIT_MAX_ARTICLES) {
      const scores = await agreement(part.articles, idf, spend);
      if (!scores) return null;
      part.articles.forEach((a, i) => {
        if (!part.fixedId || !input.own.get(part.fixedId)?.has(a.id)) agreed.set(a.id, { score: Math.round((scores[i] as number) * 1000) / 1000, reason: 'settled' });
      });
    }
    groups.push(pieceGroup(part.articles, part.fixedId));
  }
  return { groups, agreed };
}

/**
 * The pass's IDF for these steps, the same function while the counts are the same object with
 * the same number of documents. The settle pass keeps one for the hour, adding counts for new
 * terms only and never changing one it holds: that is what lets the steps keep each article's
 * weighted terms (split-groups' pairText), and the last pass's splits, while the IDF is the same.
 */
const passIdfs = new WeakMap<ReadonlyMap<string, number>, { documents: number; idf: Idf }>();

function passIdf(df: ReadonlyMap<string, number>, documents: number): Idf {
  const known = passIdfs.get(df);
  if (known?.documents === documents) return known.idf;
  const idf = idfFromCounts(df, documents);
  passIdfs.set(df, { documents, idf });
  return idf;
}

interface KnownSplit {
  articles: readonly SettleArticle[];
  seed: string;
  pieces: number[][];
}

/** The last pass's split of each story, under this IDF; what a pass does not ask for again is forgotten. */
const splitsByIdf = new WeakMap<Idf, Map<string, KnownSplit>>();

function splitCache(idf: Idf): {
  known(id: string, articles: readonly SettleArticle[], seed: readonly number[]): number[][] | null;
  keep(id: string, articles: readonly SettleArticle[], seed: readonly number[], pieces: number[][]): void;
  done(): void;
} {
  const last = splitsByIdf.get(idf) ?? new Map<string, KnownSplit>();
  const next = new Map<string, KnownSplit>();
  return {
    known(id, articles, seed) {
      const was = last.get(id);
      // The same article objects: readPlaced keeps an article's object while it does not change.
      if (!was || was.seed !== seed.join(',') || was.articles.length !== articles.length || was.articles.some((a, i) => a !== articles[i])) return null;
      next.set(id, was);
      return was.pieces;
    },
    keep(id, articles, seed, pieces) {
      next.set(id, { articles, seed: seed.join(','), pieces });
    },
    done() {
      splitsByIdf.set(idf, next);
    },
  };
}

/** A group of these articles (in canonical order) worked out from them alone: their summed terms, newest memory. */
function pieceGroup(articles: readonly SettleArticle[], fixedId: string | null): SettledGroup {
  const newest = [...articles].reverse();
  let last = -Infinity;
  for (const a of articles) last = Math.max(last, a.eventAt.getTime());
  return {
    fixedId,
    articleIds: articles.map((a) => a.id),
    centroid: () => {
      const sum: Record<string, number> = {};
      for (const a of articles) addTerms(sum, a.features.terms);
      return truncateTerms(sum, CENTROID_TERMS);
    },
    lastEventAt: new Date(last),
    signatures: newest.flatMap((a) => (a.features.signature.length > 0 ? [a.features.signature] : [])).slice(0, STORY_MEMORY),
    titleKeys: newest.map((a) => a.titleKey).slice(0, STORY_MEMORY),
  };
}
