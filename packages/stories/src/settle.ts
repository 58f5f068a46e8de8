import { setImmediate } from 'node:timers/promises';
import {
  planStoryIds,
  settleGroups,
  type SettleArticle,
  type SettledGroup,
  type SettleInput,
  type SettleMemory,
  type SettleResult,
  type StoryIdPlan,
} from '@newsfold/clustering';
import {
  bumpStoryRevision,
  countUnpostedArticles,
  editedStories,
  foldStories,
  insertStories,
  newestPlacedEventAt,
  placeInStories,
  postUnpostedArticles,
  rebuildStoryTerms,
  refreshStories,
  separationsOf,
  storiesReachingBefore,
  storyEngineState,
  termFrequencies,
  type Pool,
  type SettleWindowArticle,
  type StoryTx,
} from '@newsfold/db';
import { rebuildStoryClustering } from './corrections.js';
import { keepOnly, readPlaced, type ReadArticles } from './settle-rows.js';
import { seedsFor, type HeldSeeds, type Seeds } from './settle-seeds.js';
import { withStoryWrite } from './story-write.js';

const HOUR = 3_600_000;
/** How often, at most, a pass that is deciding asks whether to give way. */
const GIVE_WAY_EVERY_MS = 2_000;

/** Why an article was moved, or a story folded, by the settle pass. */
export const SETTLED_REASON = 'settled';

export interface SettleOptions {
  windowMs: number;
  /** How far back the pass reaches: articles from this long before the newest placed one (capped at now). */
  spanMs: number;
  now?: Date;
  /** Called between deciding and writing (a test's way to make another story write come in between). */
  beforeWrite?: () => Promise<void>;
  /**
   * Asked every few seconds while the pass decides: true when it should give way (articles are
   * waiting to be placed). It then stops, writes nothing, and reports `gaveWay`.
   */
  giveWay?: () => Promise<boolean>;
  /** How often, at most, `giveWay` is asked (default 2 s). */
  giveWayEveryMs?: number;
  /**
   * What passes keep for the next (the assigner keeps one): the IDF as the hour's first pass read
   * it, and where that pass stood (settleGroups' memory). A pass that finds all it takes as given
   * the same resumes from there; its result is a pass's from scratch all the same.
   */
  memory?: SettleMemoryHolder;
}

/** The document counts a pass places with (passIdf), and the articles whose terms they hold already. */
interface PassIdf {
  since: number;
  df: Map<string, number>;
  documents: number;
  checked: WeakSet<SettleArticle>;
}

export interface SettleMemoryHolder {
  idf?: PassIdf;
  /** The stories before the window as the hour's first pass read them (seedsFor). */
  seeds?: HeldSeeds;
  /** The articles passes read, kept while they do not change (readPlaced). */
  read?: ReadArticles;
  groups?: SettleMemory;
}

export interface SettleReport {
  /** Articles the pass grouped. */
  articles: number;
  groups: number;
  /** Articles that changed story. */
  moved: number;
  /** Of the articles grouped, those taken as the previous pass decided them (memory): the pass decided the rest. */
  resumed: number;
  newStories: number;
  /** Stories left by all their articles (their ids now lead to the story that holds most of them). */
  folded: number;
  /** Another story write came between reading and writing: nothing was written; the next pass tries again. */
  stale: boolean;
  /** It stopped deciding to let waiting articles be placed (`giveWay`): nothing was written. */
  gaveWay: boolean;
  seconds: number;
  /** Of which reading the window, deciding the groups in memory, writing them. */
  phases: { read: number; decide: number; write: number };
}

/**
 * The settle pass: re-groups the recent window's articles as a whole, from scratch, by the same
 * rule the assigner applies online, in one canonical order with the window's IDF fixed
 * (settleGroups), so that once it has run the grouping depends on the set of articles only.
 *
 * The stories before the window (within the story window) are seeded with what they hold there,
 * as they were when the window's first articles arrived: those articles never move, and two of
 * them are never merged by the pass.
 *
 * Story ids stay stable: a group keeps the id of the stored story it overlaps most (ties to the
 * older), a part that leaves a story gets a new id, and a story its articles all leave leads to the
 * one holding most of them (story_aliases, so links to it redirect). Moved articles say `settled`.
 * Stories an editor made (a split, a merge) keep their articles and ids, and stay apart from what
 * they were split from; other articles may still join them.
 *
 * It reads and decides outside the story lock, then writes in one story write, unless another
 * story write came in between (the revision moved): then it writes nothing and reports `stale`.
 */
export async function settleStories(pool: Pool, options: SettleOptions): Promise<SettleReport> {
  const started = performance.now();
  const marks = { read: started, decide: started };
  const report = (fields: Partial<SettleReport>): SettleReport => ({
    articles: 0,
    groups: 0,
    moved: 0,
    resumed: 0,
    newStories: 0,
    folded: 0,
    stale: false,
    gaveWay: false,
    ...fields,
    seconds: (performance.now() - started) / 1000,
    phases: { read: (marks.read - started) / 1000, decide: (marks.decide - marks.read) / 1000, write: Math.max(0, performance.now() - marks.decide) / 1000 },
  });
  // The pass reads document counts from term_stats: the articles the assigner placed and has not
  // counted yet (it writes their postings and counts later, coalesced) are counted first.
  if ((await countUnpostedArticles(pool)) > 0) await withStoryWrite(pool, (tx) => postUnpostedArticles(tx));
  const window = await readWindow(pool, options);
  marks.read = marks.decide = performance.now();
  if (!window) return report({});
  const { rows } = window;

  // Deciding a large window takes seconds: the event loop runs between steps (the normalizer's
  // jobs in this process keep their locks), and every 2 s the pass asks whether to give way.
  let asked = performance.now();
  const between = async (): Promise<boolean> => {
    await setImmediate();
    if (!options.giveWay || performance.now() - asked < (options.giveWayEveryMs ?? GIVE_WAY_EVERY_MS)) return true;
    asked = performance.now();
    return !(await options.giveWay());
  };
  const settled = await settleGroups(window.input, between, options.memory?.groups);
  if (!settled) return report({ articles: rows.length, gaveWay: true });
  if (options.memory) options.memory.groups = settled.memory;
  const plan = planStoryIds(settled.groups, window.current);
  marks.decide = performance.now();

  await options.beforeWrite?.();
  const written = await withStoryWrite(pool, async (tx) => {
    if ((await storyEngineState(tx)).revision !== window.revision) return null;
    return writeSettled(tx, window, settled, plan);
  });
  const counts = { articles: rows.length, groups: settled.groups.length, resumed: settled.resumedAt };
  if (!written) return report({ ...counts, stale: true });
  return report({ ...counts, ...written });
}

interface SettleWindow {
  /** The story revision it was read at. */
  revision: string;
  /** The window's placed articles, and the story each is in now. */
  rows: SettleWindowArticle[];
  current: Map<string, string>;
  /** Stories holding articles from before the window too: never folded by the pass. */
  reaching: Set<string>;
  /** The story each seeded story's articles are in now (the assigner may have merged some since they were read). */
  seededNow: Map<string, string>;
  input: SettleInput;
}

/** What the pass decides on: the window's articles, the stories it must leave as they are, the IDF. */
async function readWindow(pool: Pool, options: SettleOptions): Promise<SettleWindow | null> {
  const { revision, documents } = await storyEngineState(pool);
  const newest = await newestPlacedEventAt(pool);
  if (!newest) return null;
  const now = options.now ?? new Date();
  // The window starts on the hour: passes within an hour have the same stories before it, and
  // a pass may resume from where the previous one stood.
  const since = new Date(Math.floor((Math.min(now.getTime(), newest.getTime()) - options.spanMs) / HOUR) * HOUR);
  const read: ReadArticles = options.memory?.read ?? new Map();
  const windowed = await readPlaced(pool, since, null, read);
  const rows = windowed.map((w) => w.row);
  const current = new Map(rows.map((r) => [r.id, r.storyId]));
  const storyIds = [...new Set(current.values())];
  const edited = await editedStories(pool, storyIds);
  // The stories of the story window before the pass's stand, as they are, when its first articles
  // are placed (as they stood when those articles arrived): every one, those the window's
  // articles are in now or not, so that where an article goes does not depend on where it is.
  const reaching = await storiesReachingBefore(pool, storyIds, since);
  const before = await readPlaced(pool, new Date(since.getTime() - options.windowMs), since, read);
  keepOnly(read, [...windowed, ...before].map((w) => w.row.id));
  if (options.memory) options.memory.read = read;

  const fresh: Seeds = new Map();
  for (const { row, article } of before) (fresh.get(row.storyId) ?? fresh.set(row.storyId, []).get(row.storyId))?.push(article);
  const seeded = seedsFor(fresh, since.getTime(), options.memory?.seeds);
  if (options.memory) options.memory.seeds = seeded.held;

  const free: SettleArticle[] = [];
  const fixed = new Map<string, SettleArticle[]>([...seeded.seeds].map(([id, articles]) => [id, [...articles]]));
  const fix = (storyId: string, article: SettleArticle) => (fixed.get(storyId) ?? fixed.set(storyId, []).get(storyId))?.push(article);
  for (const { row, article } of windowed) {
    if (edited.has(row.storyId)) fix(row.storyId, article);
    else free.push(article);
  }
  const idf = await passIdf(pool, since, [...free, ...[...fixed.values()].flat()], documents, options.memory);
  return {
    revision,
    rows,
    current,
    reaching,
    seededNow: seeded.now,
    input: {
      articles: free,
      fixed: [...fixed].map(([storyId, articles]) => ({ storyId, articles })),
      separations: await separationsOf(pool, [...edited]),
      df: idf.df,
      documents: idf.documents,
      windowMs: options.windowMs,
    },
  };
}

/**
 * The IDF a pass places with: the document counts as the hour's first pass read them (a term
 * none of its articles held, as first asked for), so that passes within the hour may resume one
 * from another. Counted documents move it within minutes by a fraction of a percent.
 */
async function passIdf(
  pool: Pool,
  since: Date,
  articles: readonly SettleArticle[],
  documents: number,
  memory: SettleMemoryHolder | undefined,
): Promise<{ df: Map<string, number>; documents: number }> {
  const held: PassIdf =
    memory?.idf?.since === since.getTime() ? memory.idf : { since: since.getTime(), df: new Map(), documents, checked: new WeakSet() };
  // Only articles an earlier pass did not look at may bring terms it has no count for (the same
  // article object is kept while it does not change: readPlaced).
  const unchecked = articles.filter((a) => !held.checked.has(a));
  const missing = new Set<string>();
  for (const a of unchecked) for (const t of Object.keys(a.features.terms)) if (!held.df.has(t)) missing.add(t);
  if (missing.size > 0) for (const [term, df] of await termFrequencies(pool, [...missing])) held.df.set(term, df);
  for (const a of unchecked) held.checked.add(a);
  if (memory) memory.idf = held;
  return held;
}

/** Writes what the pass decided: new stories, moved articles, folded stories, and their clustering state. */
async function writeSettled(
  tx: StoryTx,
  window: SettleWindow,
  { groups, decisions }: SettleResult,
  plan: StoryIdPlan,
): Promise<{ moved: number; newStories: number; folded: number }> {
  const byId = new Map(window.rows.map((r) => [r.id, r]));
  // A new group is formed of the window's articles only: its first is one of them.
  const lead = (g: SettledGroup) => byId.get(g.articleIds[0] ?? '') as SettleWindowArticle;
  const fresh = groups.flatMap((g, i) => (plan.ids[i] === null ? [lead(g)] : []));
  const stored = await insertStories(tx, fresh.map((a) => ({ leadArticleId: a.id, title: a.title, eventAt: a.eventAt })));
  const target = groups.map((g, i) => {
    const id = plan.ids[i];
    if (id === undefined || id === null) return stored.get(lead(g).id) as string;
    return g.fixedId === null ? id : (window.seededNow.get(id) ?? id);
  });

  const moves: { articleId: string; storyId: string; score: number; reason: string }[] = [];
  const changed = new Set<string>();
  groups.forEach((g, i) => {
    const to = target[i] as string;
    for (const id of g.articleIds) {
      // Articles from before the window stay where they are.
      const from = window.current.get(id);
      if (from === undefined || from === to) continue;
      moves.push({ articleId: id, storyId: to, score: decisions.get(id)?.score ?? 1, reason: SETTLED_REASON });
      changed.add(to);
      changed.add(from);
    }
  });
  if (moves.length === 0) return { moved: 0, newStories: 0, folded: 0 };
  await placeInStories(tx, moves);

  // Stories their articles all left: folded into the group holding most of them, unless older
  // articles (before the pass's window) keep them.
  const folds = [...plan.leaving]
    .filter(([id]) => !window.reaching.has(id))
    .map(([from, group]) => ({ from, into: target[group] as string, reason: SETTLED_REASON, score: 0 }));
  await foldStories(tx, folds);
  for (const f of folds) changed.delete(f.from);

  // The group each story now is; null when two are (seeded stories the assigner merged since the seeds were read).
  const settledIds = new Map<string, SettledGroup | null>();
  groups.forEach((g, i) => settledIds.set(target[i] as string, settledIds.has(target[i] as string) ? null : g));
  const live = [...changed];
  await rebuildStoryTerms(tx, live);
  // A story that only lost articles and keeps older ones, or holds two groups: rebuilt from what it holds.
  for (const id of live) if (!settledIds.get(id)) await rebuildStoryClustering(tx, id);
  const clustering = live.flatMap((id) => {
    const g = settledIds.get(id);
    return g ? [{ storyId: id, centroid: g.centroid(), lastEventAt: g.lastEventAt, signatures: g.signatures, titleKeys: g.titleKeys }] : [];
  });
  await refreshStories(tx, [...live, ...folds.map((f) => f.from)], { clustering, exactTimes: true });
  await bumpStoryRevision(tx);
  return { moved: moves.length, newStories: stored.size, folded: folds.length };
}
