import { cmp, compareAge, formedId, isFormed } from './formed-ids.js';
import { resolveMerges } from './resolve-merges.js';
import { resumePoint, type SettleMemory, type SettlePoint } from './settle-memory.js';
import { regroup } from './settle-regroup.js';
import { StoryIndex, type ArticleToIndex, type Placement, type StoryIndexOptions } from './story-index.js';

/**
 * The settle pass's grouping: a window's articles placed from scratch by the same rule the
 * assigner applies online (StoryIndex over decideStory), but in one canonical order and with IDF
 * fixed for the whole pass, so that the groups are a function of the set of articles: not of the
 * order they arrived in, the batches that placed them, the ids the database gave them or the
 * number of replicas that stored them. Then the groups are looked at again article by article
 * (settle-regroup.ts): split where their articles disagree, joined where they agree.
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
   * in a group the split or join steps made, 'settled' and how much it agrees with the group
   * (split-groups' agreement).
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

  // Each story looked at again article by article: split where its articles disagree, joined
  // where a report came near another whose articles agree with its own.
  const ordered = new Map([...members].map(([id, list]) => [id, byCanonical(list, itself)]));
  const own = new Map(fixed.map((story) => [story.storyId, new Set(story.articles.map((a) => a.id))]));
  const regrouped = await regroup(
    { members: ordered, own, placements, final, index, df: input.df, documents: input.documents, order: (list) => byCanonical(list, itself) },
    between,
  );
  if (!regrouped) return null;
  const { groups } = regrouped;
  const decisions = new Map(placements.map((p) => [p.articleId, { score: p.score, reason: p.reason }]));
  for (const [id, decision] of regrouped.agreed) decisions.set(id, decision);
  for (const story of fixed) for (const a of story.articles) byId.set(a.id, a);
  const first = (g: SettledGroup) => byId.get(g.articleIds[0] ?? '') as SettleArticle;
  return {
    groups: byCanonical(groups, first),
    decisions,
    memory,
    resumedAt: start,
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
