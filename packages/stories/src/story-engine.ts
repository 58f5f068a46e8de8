import {
  QUERY_TERMS,
  resolveMerges,
  SAME_TITLE_STORIES,
  STORIES_PER_TERM,
  StoryIndex,
  type ArticleToIndex,
  type Placement,
} from '@newsfold/clustering';
import {
  bumpStoryRevision,
  countTermDocuments,
  foldStories,
  headlineStories,
  inheritSeparations,
  insertStories,
  loadCandidateStories,
  pendingArticles,
  placeInStories,
  postStoryTerms,
  recentStoryIds,
  refreshStories,
  saveCentroids,
  separationsOf,
  storyEngineState,
  termFrequencies,
  termPostings,
  type Pool,
  type StoryTx,
  type UnassignedArticle,
  windowPostings,
} from '@newsfold/db';
import { toIndexable } from './indexable.js';
import { withStoryWrite } from './story-write.js';

export interface StoryEngineOptions {
  windowMs: number;
  /** Pending articles per batch (default 1,000). */
  batchSize?: number;
  /** Stories held in memory at most before the least recently active are forgotten (default 100,000). */
  maxStories?: number;
  /**
   * How far the document counts may move before the IDF the engine places with follows them
   * (StoryIndex `idfDrift`; default 0.05). 0 places exactly as an engine that loaded everything
   * afresh for each batch would.
   */
  idfDrift?: number;
}

export interface BatchResult {
  placed: number;
  /** Seconds spent loading the window first (0 once it is held). */
  loadSeconds: number;
  newStories: number;
  merges: number;
  seconds: number;
}

/** Placeholders for stories a batch starts, until stored: "+<article id>". */
const PLACEHOLDER = '+';
const isPlaceholder = (id: string) => id.startsWith(PLACEHOLDER);
const HOUR = 3_600_000;


/**
 * Stored stories are older than the batch's new ones, and among each kind the smaller id is older
 * (ids are integers without leading zeros: the shorter is smaller, then by digits).
 */
function compareAge(a: string, b: string): number {
  const pa = isPlaceholder(a);
  const pb = isPlaceholder(b);
  if (pa !== pb) return pa ? 1 : -1;
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Places pending articles in stories, a batch at a time, each batch one story write: it reads the
 * pending articles in (event time, id) order, loads what it does not hold yet of the window's
 * stories (term statistics, postings, stories, headlines, separations), decides every placement
 * in memory with the placing rule (StoryIndex over decideStory), and writes them with one
 * set-based statement per kind. What it holds stays warm from batch to batch and is kept current
 * by its own writes; any other write of clustering state (a correction, a feed removed, another
 * assigner) moves the story revision, and what it held is dropped and loaded again.
 */
export class StoryEngine {
  private index: StoryIndex;
  private revision: string | null = null;
  /** The window was loaded (preload) into `index` and kept current since. */
  private held = false;
  /** Postings older than this were forgotten. */
  private postingsCutAt = -Infinity;
  private readonly batchSize: number;
  private readonly maxStories: number;

  constructor(
    private readonly pool: Pool,
    private readonly options: StoryEngineOptions,
  ) {
    this.batchSize = options.batchSize ?? 1_000;
    this.maxStories = options.maxStories ?? 100_000;
    this.index = this.emptyIndex();
  }

  /** Forgets everything held; the next batch loads the window again. */
  reset(): void {
    this.index = this.emptyIndex();
    this.revision = null;
    this.held = false;
    this.postingsCutAt = -Infinity;
  }

  get defaultBatchSize(): number {
    return this.batchSize;
  }

  /**
   * Places up to `limit` (default batchSize) pending articles, but for those in `skip`, as
   * pendingArticles chooses them (every feed's share, then the oldest); 0 placed when none is
   * pending.
   */
  async placeBatch(options: { limit?: number; skip?: readonly string[] } = {}): Promise<BatchResult> {
    const started = performance.now();
    try {
      return await withStoryWrite(this.pool, async (tx) => {
        const state = await storyEngineState(tx);
        if (state.revision !== this.revision) {
          this.reset();
          this.index.documents = state.documents;
        }
        const pending = await pendingArticles(tx, options.limit ?? this.batchSize, [...(options.skip ?? [])]);
        if (pending.length === 0) {
          this.revision = state.revision;
          return { placed: 0, newStories: 0, merges: 0, loadSeconds: 0, seconds: (performance.now() - started) / 1000 };
        }
        const articles = pending.map(toIndexable);
        const since = new Date(Math.min(...articles.map((a) => a.eventAt.getTime())) - this.options.windowMs);
        const loadSeconds = this.held ? 0 : await this.preload(tx, since);
        await this.load(tx, articles, since);
        // Stories an editor kept apart from others, as held before the batch (a merge moves them).
        const apart = new Set(this.index.separatedStories());
        const placements = articles.map((a) => this.index.place(a));
        const written = await this.write(tx, articles, pending, placements, apart);
        this.revision = await bumpStoryRevision(tx, articles.length);
        this.forgetOld(articles);
        return { placed: articles.length, ...written, loadSeconds, seconds: (performance.now() - started) / 1000 };
      });
    } catch (error) {
      // The batch rolled back; what was placed in memory did not happen.
      this.reset();
      throw error;
    }
  }

  private emptyIndex(): StoryIndex {
    return new StoryIndex({
      windowMs: this.options.windowMs,
      complete: false,
      idfDrift: this.options.idfDrift ?? 0.05,
      newStoryId: (article) => `${PLACEHOLDER}${article.id}`,
      compareAge,
    });
  }

  /**
   * Loads the window from `since` on, as a warm index holds it: every term's postings and
   * document frequency, and the most recently active stories (up to half of maxStories, so that
   * the batches to come have room). Returns the seconds it took.
   */
  private async preload(tx: StoryTx, since: Date): Promise<number> {
    const started = performance.now();
    const index = this.index;
    for (const [term, { df, postings }] of await windowPostings(tx, since, STORIES_PER_TERM)) {
      index.setDf(term, df);
      index.setPostings(term, postings, false);
    }
    index.holdPostingsSince(since);
    await this.loadStories(tx, await recentStoryIds(tx, since, Math.floor(this.maxStories / 2)));
    this.held = true;
    return (performance.now() - started) / 1000;
  }

  private async loadStories(tx: StoryTx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const row of await loadCandidateStories(tx, ids)) {
      this.index.addStory({ id: row.storyId, centroid: row.centroid ?? {}, lastEventAt: row.lastEventAt, signatures: row.signatures, titleKeys: row.titleKeys });
    }
    for (const [a, b] of await separationsOf(tx, ids)) this.index.separate(a, b);
  }

  /**
   * Loads what placing these articles reads and the index does not hold yet: once the window is
   * held, only what lies before it (articles older than the window's start) or what was forgotten.
   */
  private async load(tx: StoryTx, articles: ArticleToIndex[], since: Date): Promise<void> {
    const index = this.index;
    const terms = new Set(articles.flatMap((a) => Object.keys(a.features.terms)));
    const missingDf = [...terms].filter((t) => !index.hasDf(t));
    if (missingDf.length > 0) for (const [term, df] of await termFrequencies(tx, missingDf)) index.setDf(term, df);
    index.count(articles);

    const idf = index.idf();
    const query = new Set(articles.flatMap((a) => index.queryTerms(a.features, QUERY_TERMS, idf)));
    const missingPostings = [...query].filter((t) => !index.hasPostings(t, since.getTime()));
    if (missingPostings.length > 0) for (const [term, list] of await termPostings(tx, missingPostings, STORIES_PER_TERM)) index.setPostings(term, list);

    // Headlines are loaded afresh for each batch: what is held covers the batch's time span only.
    index.clearTitles();
    const keys = [...new Set(articles.map((a) => a.titleKey))];
    if (keys.length > 0) {
      const times = articles.map((a) => a.eventAt.getTime());
      const from = new Date(Math.min(...times) - this.options.windowMs);
      const to = new Date(Math.max(...times) + this.options.windowMs);
      for (const [key, stories] of await headlineStories(tx, keys, from, to, SAME_TITLE_STORIES)) index.setTitle(key, stories);
    }

    const wanted = new Set(articles.flatMap((a) => index.candidateIds(a, idf)));
    await this.loadStories(tx, [...wanted].filter((id) => !isPlaceholder(id) && !index.stories.has(id)));
  }

  /** Stores what the batch decided; placeholders become stored stories' ids. */
  private async write(
    tx: StoryTx,
    articles: ArticleToIndex[],
    pending: UnassignedArticle[],
    placements: Placement[],
    apart: ReadonlySet<string>,
  ): Promise<{ newStories: number; merges: number }> {
    const index = this.index;
    // Where each story of the batch ended up: merges may chain (a into b, later b into c).
    const { mergedInto, final } = resolveMerges(placements);

    // New stories that survived the batch (not folded into an older one), each led by the article
    // that started it: its placeholder is "+<that article's id>".
    const byId = new Map(pending.map((a) => [a.id, a]));
    const leads = [...index.stories.keys()].filter(isPlaceholder).map((id) => id.slice(PLACEHOLDER.length));
    const stored = await insertStories(
      tx,
      leads.map((lead) => ({ leadArticleId: lead, title: byId.get(lead)?.title ?? '', eventAt: byId.get(lead)?.eventAt ?? new Date() })),
    );
    const real = (id: string): string => {
      const at = final(id);
      if (!isPlaceholder(at)) return at;
      const stored_ = stored.get(at.slice(PLACEHOLDER.length));
      if (!stored_) throw new Error(`story ${at} of the batch was not stored`);
      return stored_;
    };

    // Every article in its final story. One whose story was folded into another says so.
    await placeInStories(
      tx,
      placements.map((p) => {
        const merge = p.storyId !== final(p.storyId) ? mergedInto.get(p.storyId) : undefined;
        return merge
          ? { articleId: p.articleId, storyId: real(p.storyId), score: merge.score, reason: `merged: ${merge.score.toFixed(2)}` }
          : { articleId: p.articleId, storyId: real(p.storyId), score: p.score, reason: p.reason };
      }),
    );
    const folds = [...mergedInto].filter(([from]) => !isPlaceholder(from)).map(([from, m]) => ({ from, into: real(final(m.into)), score: m.score }));
    await foldStories(tx, folds.map((f) => ({ ...f, reason: `merged: ${f.score.toFixed(2)}` })));
    // Only a story an editor kept apart from another has separations to pass on.
    for (const [into, froms] of groupBy(folds.filter((f) => apart.has(f.from)), (f) => f.into)) {
      await inheritSeparations(tx, froms.map((f) => f.from), into, [into, ...froms.map((f) => f.from)]);
    }

    // The index is renamed first, so that what is saved below is read under stored ids.
    for (const [lead, id] of stored) index.rename(`${PLACEHOLDER}${lead}`, id);
    const touched = new Set(placements.map((p) => real(p.storyId)));
    for (const f of folds) touched.add(f.into);
    await saveCentroids(
      tx,
      [...touched].flatMap((id) => {
        const story = index.stories.get(id);
        return story ? [{ storyId: id, centroid: story.centroid, lastEventAt: story.lastEventAt, signatures: story.signatures, titleKeys: story.titleKeys }] : [];
      }),
    );
    await postStoryTerms(
      tx,
      articles.flatMap((a, i) => Object.keys(a.features.terms).map((term) => ({ term, storyId: real((placements[i] as Placement).storyId), lastAt: a.eventAt }))),
    );
    const counts = new Map<string, number>();
    for (const a of articles) for (const term of Object.keys(a.features.terms)) counts.set(term, (counts.get(term) ?? 0) + 1);
    await countTermDocuments(tx, counts);
    await refreshStories(tx, [...touched, ...folds.map((f) => f.from)]);
    return { newStories: stored.size, merges: mergedInto.size };
  }

  /** Keeps memory bounded: beyond maxStories, the stories least recently active are forgotten. */
  private forgetOld(articles: ArticleToIndex[]): void {
    const newest = Math.max(...articles.map((a) => a.eventAt.getTime()));
    this.index.evict(new Date(newest - this.options.windowMs));
    // Postings are looked through once an hour: they leave the window slowly.
    if (newest - this.options.windowMs - this.postingsCutAt >= HOUR) {
      this.postingsCutAt = newest - this.options.windowMs;
      this.index.forgetPostingsBefore(new Date(this.postingsCutAt));
    }
    if (this.index.stories.size <= this.maxStories) return;
    const times = [...this.index.stories.values()].map((s) => s.lastEventAt.getTime()).sort((a, b) => b - a);
    this.index.evict(new Date(times[Math.floor(this.maxStories / 2)] ?? newest));
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
