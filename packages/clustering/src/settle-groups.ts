import { cmp, compareAge, formedId, isFormed } from './formed-ids.js';
import { resolveMerges } from './resolve-merges.js';
import { resumePoint, type SettleMemory, type SettlePoint } from './settle-memory.js';
import { CENTROID_TERMS } from './decide-story.js';
import { addTerms, idfFromCounts, truncateTerms, type Idf } from './similarity.js';
import { agreement, joinNearby, splitGroup, SPLIT_MAX_ARTICLES, type AgreeingGroup } from './split-groups.js';
import { StoryIndex, STORY_MEMORY, type ArticleToIndex, type Placement, type StoryIndexOptions } from './story-index.js';

/**
 * The settle pass's grouping: a window's articles placed from scratch by the same rule the
 * assigner applies online (StoryIndex over decideStory), but in one canonical order and with IDF
 * fixed for the whole pass, so that the groups are a function of the set of articles: not of the
 * order they arrived in, the batches that placed them, the ids the database gave them or the
 * number of replicas that stored them. Then each group is looked at again article by article
 * (splitGroup): one whose articles do not agree is split into the groups that do.
 */

export interface SettleArticle extends ArticleToIndex {
  /**
   * Orders articles with the same time and headline: something of the article's own (its URL),
   * never an id given in arrival order. Articles equal in all three are the same report twice.
   */
  tieBreak: string;
}

export interface SettleInput {
  /** The window's articles whose story the pass decides. */
  articles: readonly SettleArticle[];
  /**
   * Stories that keep their articles and ids, others may join them, and the pass never merges two
   * of them: those an editor made (split or merged), and the stories as they stood before the
   * window (their articles from before it).
   */
  fixed: readonly { storyId: string; articles: readonly SettleArticle[] }[];
  /** Pairs of fixed stories an editor kept apart. */
  separations: readonly (readonly [string, string])[];
  /** Document frequencies and the number of documents: the IDF of the whole pass. */
  df: ReadonlyMap<string, number>;
  documents: number;
  windowMs: number;
}

export interface SettledGroup {
  /** The fixed story this group is, or null for a group the pass formed. */
  fixedId: string | null;
  /** Its articles' ids, in canonical order. */
  articleIds: string[];
  /** Its centroid by term, worked out when asked for: only the groups that changed are stored. */
  centroid(): Record<string, number>;
  lastEventAt: Date;
  /** Its newest articles' signatures and headline keys, newest first (what placing reads of it). */
  signatures: number[][];
  titleKeys: string[];
}

export interface SettleResult {
  /** In canonical order of their first articles. */
  groups: SettledGroup[];
  /**
   * How each placed (not fixed) article was decided: the score and reason of its placement, or,
   * in a group the split or join steps made, 'settled' and how much it agrees with the group (agreement).
   */
  decisions: Map<string, { score: number; reason: string }>;
  /** What the next pass may start from (settleGroups' `previous`). */
  memory: SettleMemory;
  /** How many of the articles, in canonical order, this pass took as decided by the previous one (0: it started from scratch). */
  resumedAt: number;
}

/**
 * How far behind its newest article a pass keeps the index as it stood (SettleMemory): the next
 * pass resumes from the latest of these points that precedes every article new to it. Most new
 * articles are newer than any before them, and the next pass then decides only those of the
 * last RESUME_SOON_MS again; many come from feeds polled every quarter or half hour, up to
 * RESUME_LATE_MS behind, and the next pass decides the last half hour again; an article that
 * comes in up to RESUME_LAG_MS late (a feed polled late, an outlet's time stamps behind) still
 * finds a point. Further back, the next pass starts from scratch. A point costs a copy of the
 * index's stories (LayeredMap shares the rest).
 */
export const RESUME_LAG_MS = 3_600_000;
export const RESUME_LATE_MS = 1_800_000;
export const RESUME_SOON_MS = 300_000;
const RESUME_POINTS_MS = [RESUME_LAG_MS, RESUME_LATE_MS, RESUME_SOON_MS];

/** Canonical order: event time, then headline, then the tie-break. */
export function compareCanonical(a: SettleArticle, b: SettleArticle): number {
  return a.eventAt.getTime() - b.eventAt.getTime() || cmp(a.titleKey, b.titleKey) || cmp(a.tieBreak, b.tieBreak) || cmp(a.id, b.id);
}

/**
 * `items` in canonical order of their articles (a copy). Each article's time is read once: a
 * pass sorts tens of thousands, and the comparator runs some fifteen times per article.
 */
function byCanonical<T>(items: readonly T[], article: (item: T) => SettleArticle): T[] {
  const keyed = items.map((item) => {
    const a = article(item);
    return { at: a.eventAt.getTime(), a, item };
  });
  keyed.sort((x, y) => x.at - y.at || compareCanonical(x.a, y.a));
  return keyed.map((k) => k.item);
}

const itself = (a: SettleArticle) => a;

/** Articles placed between two calls of `between`. */
const STEP = 256;

/**
 * The window's groups. Placing a large window takes seconds, so every STEP articles it awaits
 * `between` (the caller's chance to let its event loop run); when that answers false, it stops
 * and returns null. Given what the previous pass kept (`previous`), it starts where that stood if
 * it can (resumePoint): the result is the same as from scratch.
 */
export async function settleGroups(
  input: SettleInput,
  between: () => Promise<boolean> = async () => true,
  previous?: SettleMemory,
): Promise<SettleResult | null> {
  const articles = byCanonical(input.articles, itself);
  const rank = new Map(articles.map((a, i) => [a.id, i]));
  const options: StoryIndexOptions = {
    windowMs: input.windowMs,
    complete: true,
    newStoryId: (article) => formedId(rank.get(article.id) ?? -1),
    compareAge,
    // Merging two fixed stories would move articles the pass does not decide (an editor's, or
    // those from before the window), or undo a split through a third story.
    apart: (a, b) => !isFormed(a) && !isFormed(b),
  };
  const fixed = [...input.fixed].sort((a, b) => compareAge(a.storyId, b.storyId));
  const members = new Map<string, SettleArticle[]>();
  for (const story of fixed) members.set(story.storyId, byCanonical(story.articles, itself));

  const resume = previous ? resumePoint(previous, input, articles) : null;
  let index: StoryIndex;
  let placements: Placement[];
  if (resume) {
    // The kept index stays as it was: a pass that gives way leaves it for the next one.
    index = resume.index.clone(options);
    // Terms new to this pass (its new articles'): counted as a pass from scratch counts them.
    for (const [term, df] of input.df) if (!index.hasDf(term)) index.setDf(term, df);
    placements = [...resume.placements];
  } else {
    index = new StoryIndex(options);
    for (const [term, df] of input.df) index.setDf(term, df);
    index.documents = input.documents;
    for (const story of fixed) index.seedStory(story.storyId, members.get(story.storyId) ?? []);
    for (const [a, b] of input.separations) index.separate(a, b);
    placements = [];
  }

  const start = resume?.at ?? 0;
  const newest = articles.at(-1)?.eventAt.getTime() ?? 0;
  // Where this pass keeps the index for the next: the first article of each lag behind the newest.
  const wanted = RESUME_POINTS_MS.map((lag) => {
    const at = articles.findIndex((a) => a.eventAt.getTime() >= newest - lag);
    return at < 0 ? articles.length : at;
  });
  // Points before `start` are the previous pass's, still valid (its articles up to there are this one's).
  const kept: SettlePoint[] = resume ? (previous?.points ?? []).filter((p) => p.at <= start) : [];
  for (let i = start; i <= articles.length; i++) {
    if (wanted.includes(i) && !kept.some((p) => p.at === i)) kept.push({ at: i, index: index.clone(), placements: [...placements] });
    if (i === articles.length) break;
    if (i > start && (i - start) % STEP === 0 && !(await between())) return null;
    placements.push(index.place(articles[i] as SettleArticle));
  }
  const { articles: _, ...given } = input;
  const memory: SettleMemory = { input: given, articles, points: pointsFor(wanted, kept) };
  const { storyOf, final } = resolveMerges(placements);
  const byId = new Map(articles.map((a) => [a.id, a]));
  for (const [articleId, storyId] of storyOf) {
    const article = byId.get(articleId);
    if (!article) continue;
    let list = members.get(storyId);
    if (!list) members.set(storyId, (list = []));
    list.push(article);
  }

  // Each story looked at again article by article: split where its articles disagree…
  const idf = splitIdf(input.df, input.documents);
  const own = new Map(fixed.map((story) => [story.storyId, new Set(story.articles.map((a) => a.id))]));
  /** `whole`: the index's story as it stands (its centroid and memory are the index's). */
  const parts: (AgreeingGroup<SettleArticle> & { storyId: string; fixedId: string | null; whole: boolean })[] = [];
  const partsOf = new Map<string, number[]>();
  for (const [id, list] of members) {
    if (list.length === 0) continue;
    const ordered = byCanonical(list, itself);
    const given = own.get(id);
    const seed = given ? ordered.flatMap((a, i) => (given.has(a.id) ? [i] : [])) : [];
    const pieces = splitGroup(ordered, idf, seed);
    for (const piece of pieces) {
      // The piece holding what was given keeps a fixed story's id; the others are new.
      const keepsId = !isFormed(id) && (pieces.length === 1 || piece.some((i) => seed.includes(i)));
      partsOf.set(id, [...(partsOf.get(id) ?? []), parts.length]);
      parts.push({ storyId: id, articles: piece.map((i) => ordered[i] as SettleArticle), fixed: keepsId, fixedId: keepsId ? id : null, whole: pieces.length === 1 });
    }
  }
  // …and joined where a report came near another story whose articles agree with its own.
  const partOf = new Map<string, number>();
  parts.forEach((part, k) => part.articles.forEach((a) => partOf.set(a.id, k)));
  const near: [number, number][] = [];
  for (const p of placements) {
    const from = partOf.get(p.articleId);
    if (from === undefined) continue;
    for (const storyId of p.nearby) for (const to of partsOf.get(final(storyId)) ?? []) if (to !== from) near.push([from, to]);
  }
  const joined = new Set<number>();
  for (const together of joinNearby(parts, near, idf)) {
    const kept = together.map((k) => parts[k] as (typeof parts)[number]);
    const fixedId = kept.find((part) => part.fixedId !== null)?.fixedId ?? null;
    for (const k of together) joined.add(k);
    parts.push({ storyId: '', articles: byCanonical(kept.flatMap((part) => part.articles), itself), fixed: fixedId !== null, fixedId, whole: false });
  }

  const decisions = new Map(placements.map((p) => [p.articleId, { score: p.score, reason: p.reason }]));
  const groups: SettledGroup[] = [];
  parts.forEach((part, k) => {
    if (joined.has(k)) return;
    // A group the split or join steps made: its articles' scores say how much they agree with it.
    if (!part.whole && part.articles.length <= SPLIT_MAX_ARTICLES) {
      const scores = agreement(part.articles, idf);
      part.articles.forEach((a, i) => decisions.set(a.id, { score: Math.round((scores[i] as number) * 1000) / 1000, reason: 'settled' }));
    }
    const story = part.whole ? index.stories.get(part.storyId) : undefined;
    if (part.whole && !story) throw new Error(`settled story ${part.storyId} is not in the index`);
    groups.push(
      story
        ? {
            fixedId: part.fixedId,
            articleIds: part.articles.map((a) => a.id),
            centroid: () => index.centroidOf(part.storyId) ?? {},
            lastEventAt: new Date(story.lastAt),
            signatures: story.signatures,
            titleKeys: story.titleKeys,
          }
        : pieceGroup(part.articles, part.fixedId),
    );
  });
  for (const story of fixed) for (const a of story.articles) byId.set(a.id, a);
  const first = (g: SettledGroup) => byId.get(g.articleIds[0] ?? '') as SettleArticle;
  return {
    groups: byCanonical(groups, first),
    decisions,
    memory,
    resumedAt: start,
  };
}

/**
 * The pass's IDF for the split step, the same function while the counts are the same object with
 * the same number of documents: the settle pass keeps one for the hour (adding counts for new
 * terms only), and the split step keeps each article's weighted terms while its IDF is the same.
 */
const splitIdfs = new WeakMap<ReadonlyMap<string, number>, { documents: number; idf: Idf }>();

function splitIdf(df: ReadonlyMap<string, number>, documents: number): Idf {
  const known = splitIdfs.get(df);
  if (known?.documents === documents) return known.idf;
  const idf = idfFromCounts(df, documents);
  splitIdfs.set(df, { documents, idf });
  return idf;
}

/** A group of these articles (in canonical order) worked out from them alone, as the index would hold it. */
function pieceGroup(articles: readonly SettleArticle[], fixedId: string | null): SettledGroup {
  const newest = [...articles].reverse();
  return {
    fixedId,
    articleIds: articles.map((a) => a.id),
    centroid: () => {
      const sum: Record<string, number> = {};
      for (const a of articles) addTerms(sum, a.features.terms);
      return truncateTerms(sum, CENTROID_TERMS);
    },
    lastEventAt: new Date(Math.max(...articles.map((a) => a.eventAt.getTime()))),
    signatures: newest.flatMap((a) => (a.features.signature.length > 0 ? [a.features.signature] : [])).slice(0, STORY_MEMORY),
    titleKeys: newest.map((a) => a.titleKey).slice(0, STORY_MEMORY),
  };
}

/** For each point wanted (an article's position), the latest point kept at or before it (the earliest if none is), once each, earliest first. */
function pointsFor(wanted: readonly number[], kept: readonly SettlePoint[]): SettlePoint[] {
  const sorted = [...kept].sort((a, b) => a.at - b.at);
  const chosen = new Set<SettlePoint>();
  for (const at of wanted) {
    const point = sorted.findLast((p) => p.at <= at) ?? sorted[0];
    if (point) chosen.add(point);
  }
  return [...chosen].sort((a, b) => a.at - b.at);
}
