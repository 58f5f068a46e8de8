import { setImmediate as turn } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { finiteTerms, QUERY_TERMS, SAME_TITLE_STORIES, STORIES_PER_TERM, StoryIndex, type ArticleToIndex, type Placement } from '@newsfold/clustering';
import {
  bumpStoryRevision,
  headlineStories,
  loadCandidateStories,
  pendingArticles,
  recentStoryIds,
  reserveStoryIds,
  separationsOf,
  storyEngineState,
  termFrequencies,
  termPostings,
  type Pool,
  type StoryTx,
  windowPostings,
} from '@newsfold/db';
import { hasUsableFeatures, toIndexable } from './indexable.js';
import { planSlice, writeSlice, type SliceWrite, type StartedStory } from './slice-write.js';
import { UnpostedBacklog } from './unposted-backlog.js';
import { withStoryWrite } from './story-write.js';

export interface StoryEngineOptions {
  windowMs: number;
  /** Pending articles per batch (default 1,000). */
  batchSize?: number;
  /**
   * Articles per slice of a batch (default 500): storage writes one slice while the next is placed
   * in memory, so the two halves of the work overlap. Every slice is a round of statements: 250
   * gained no more than 500 over 1,000 (`bench cluster --scale`, 100k articles in the window: +20%).
   */
  sliceSize?: number;
  /**
   * Stories held in memory at most before the least recently active are forgotten (default: as
   * many as a quarter of the heap limit holds, defaultMaxStories).
   */
  maxStories?: number;
  /**
   * How far the document counts may move before the IDF the engine places with follows them
   * (StoryIndex `idfDrift`; default 0.05). 0 places exactly as an engine that loaded everything
   * afresh for each batch would.
   */
  idfDrift?: number;
  /**
   * Articles placed whose postings and document counts may wait (default 20,000): past this the
   * batch writes them. They are written anyway when nothing is pending, before postings are read
   * from storage, and when the window is loaded.
   */
  maxUnposted?: number;
}

export interface BatchResult {
  placed: number;
  /** Seconds spent loading the window first (0 once it is held). */
  loadSeconds: number;
  newStories: number;
  merges: number;
  /** Placed articles (of this batch or earlier ones) whose postings and counts this call wrote. */
  posted: number;
  seconds: number;
}

const HOUR = 3_600_000;
/** While a slice is written, the next one is placed in runs of this many articles, between which the writing goes on. */
const PLACE_RUN = 16;
/**
 * Postings and stories are loaded this much before the window's start, and forgotten this long
 * after they leave the newest article's window, so that an article a few hours older than the
 * newest still finds everything it needs held: one that does not reads its postings from storage
 * (which the unposted articles must reach first) and looks its candidates over one by one.
 */
const HELD_SLACK_MS = 6 * HOUR;
/**
 * The share of maxStories loaded with the window: the rest is room for the stories the batches to
 * come load or start before the least recently active are forgotten.
 */
const PRELOAD_SHARE = 0.8;
/** How far the window's start moves before the stories that left it are looked for. */
const STORIES_CUT_STEP_MS = 10 * 60_000;

/**
 * Heap a held story takes, with its share of postings and headlines, weighed and hashed: 2.6 KB
 * measured after a full collection with 342k stories held (`pnpm bench cluster --scale`, 1M
 * articles in the window: 942 MB, against 152 MB with 38k).
 */
const HELD_STORY_BYTES = 2_600;

/**
 * Stories held at most by default: a quarter of the heap limit's worth (a 4 GB heap, Node's
 * default on a large machine, holds 410k: a window of 1.2M articles), at least 20,000. A window
 * with more stories than are held is placed correctly, but reads the candidates it does not hold
 * from storage, several times slower; raise the heap (`NODE_OPTIONS=--max-old-space-size=…`) to
 * hold more.
 */
export function defaultMaxStories(heapLimit = getHeapStatistics().heap_size_limit): number {
  return Math.max(20_000, Math.floor(heapLimit / 4 / HELD_STORY_BYTES));
}

/** Story ids are integers without leading zeros: the shorter is smaller, then by digits. The smaller is the older. */
function compareAge(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Places pending articles in stories, a batch at a time, each batch one story write: it reads the
 * pending articles in (event time, id) order, loads what it does not hold yet of the window's
 * stories (term statistics, postings, stories, headlines, separations), decides every placement
 * in memory with the placing rule (StoryIndex over decideStory), and writes them with one
 * set-based statement per kind, a slice at a time, each slice written while the next is placed.
 * Stories it starts are named by ids reserved from storage's sequence before they are stored.
 * What it holds stays warm from batch to batch and is kept current by its own writes; any other
 * write of clustering state (a correction, a feed removed, another assigner) moves the story
 * revision, and what it held is dropped and loaded again.
 */
export class StoryEngine {
  private index: StoryIndex;
  private revision: string | null = null;
  /** The window was loaded (preload) into `index` and kept current since. */
  private held = false;
  /** Postings older than this were forgotten. */
  private postingsCutAt = -Infinity;
  /** Stories last active before this (the window's start less HELD_SLACK_MS) were forgotten. */
  private storiesCutAt = -Infinity;
  /**
   * Every story of the window last active at or after this time is held (once the window is
   * loaded): a posting or headline from then on names a held story, so an article whose window
   * starts there needs no look at its candidates before it is placed.
   */
  private storiesWholeSince = Infinity;
  /** Ids reserved for stories to start, handed out from `nextReserved` on. */
  private reserved: string[] = [];
  private nextReserved = 0;
  /** Articles placed whose postings are not in storage yet. */
  private readonly unposted: UnpostedBacklog;
  /** The batch's articles whose features were computed, not stored. */
  private computed = new Set<string>();
  /** Stories started in memory since the last slice was planned. */
  private started = new Map<string, StartedStory>();
  /** The batch being placed: its articles by id, for the stories they start. */
  private leads = new Map<string, StartedStory>();
  private readonly batchSize: number;
  private readonly sliceSize: number;
  private readonly maxStories: number;

  constructor(
    private readonly pool: Pool,
    private readonly options: StoryEngineOptions,
  ) {
    this.batchSize = options.batchSize ?? 1_000;
    this.sliceSize = options.sliceSize ?? 500;
    this.maxStories = options.maxStories ?? defaultMaxStories();
    this.unposted = new UnpostedBacklog(options.maxUnposted ?? 20_000);
    this.index = this.emptyIndex();
  }

  /** Forgets everything held; the next batch loads the window again. */
  reset(): void {
    this.index = this.emptyIndex();
    this.revision = null;
    this.held = false;
    this.postingsCutAt = -Infinity;
    this.storiesCutAt = -Infinity;
    this.storiesWholeSince = Infinity;
    this.reserved = [];
    this.nextReserved = 0;
    this.started = new Map();
    this.unposted.reset();
  }

  /** Stories held in memory now. */
  get heldStories(): number {
    return this.index.stories.size;
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
          // Nothing waits: the time goes to the postings left for later.
          const posted = await this.unposted.writeWhenIdle(tx, this.held);
          return { placed: 0, newStories: 0, merges: 0, loadSeconds: 0, posted, seconds: (performance.now() - started) / 1000 };
        }
        const articles = pending.map(toIndexable);
        this.computed = new Set(pending.filter((a) => !hasUsableFeatures(a)).map((a) => a.id));
        const since = new Date(Math.min(...articles.map((a) => a.eventAt.getTime())) - this.options.windowMs);
        let posted = 0;
        let loadSeconds = 0;
        if (!this.held) ({ seconds: loadSeconds, posted } = await this.preload(tx, new Date(since.getTime() - HELD_SLACK_MS)));
        posted += await this.load(tx, articles, since);
        await this.reserve(tx, articles.length);
        this.leads = new Map(pending.map((a) => [a.id, { leadArticleId: a.id, title: a.title, eventAt: a.eventAt }]));
        const written = await this.placeAndWrite(tx, articles);
        posted += await this.unposted.writeIfPastBound(tx);
        this.revision = await bumpStoryRevision(tx, articles.length);
        this.forgetOld(articles);
        return { placed: articles.length, ...written, loadSeconds, posted, seconds: (performance.now() - started) / 1000 };
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
      newStoryId: (article) => {
        const id = this.reserved[this.nextReserved++];
        const lead = this.leads.get(article.id);
        if (id === undefined || !lead) throw new Error(`no story id reserved for article ${article.id}`);
        this.started.set(id, lead);
        return id;
      },
      compareAge,
    });
  }

  /**
   * Loads the window from `since` on, as a warm index holds it: every term's postings and
   * document frequency, and the most recently active stories (up to PRELOAD_SHARE of maxStories, so that
   * the batches to come have room), once the postings an earlier engine left unwritten are
   * written. Returns the seconds it took and how many articles' postings it wrote.
   */
  private async preload(tx: StoryTx, since: Date): Promise<{ seconds: number; posted: number }> {
    const started = performance.now();
    const posted = await this.unposted.writeAll(tx);
    const index = this.index;
    for (const [term, { df, postings }] of await windowPostings(tx, since, STORIES_PER_TERM)) {
      index.setDf(term, df);
      index.setPostings(term, postings, false);
    }
    index.holdPostingsSince(since);
    const limit = Math.floor(this.maxStories * PRELOAD_SHARE);
    const recent = await recentStoryIds(tx, since, limit);
    await this.loadStories(tx, recent);
    // All of them, or the newest up to the last one's time (stories as old may have been left).
    const oldest = recent.reduce((min, id) => Math.min(min, index.stories.get(id)?.lastAt ?? Infinity), Infinity);
    this.storiesWholeSince = recent.length < limit ? since.getTime() : oldest + 1;
    this.held = true;
    return { seconds: (performance.now() - started) / 1000, posted };
  }

  private async loadStories(tx: StoryTx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const row of await loadCandidateStories(tx, ids)) {
      this.index.addStory({ id: row.storyId, centroid: finiteTerms(row.centroid ?? {}), lastEventAt: row.lastEventAt, signatures: row.signatures, titleKeys: row.titleKeys });
    }
    for (const [a, b] of await separationsOf(tx, ids)) this.index.separate(a, b);
    this.index.prepareStories(ids);
  }

  /**
   * Loads what placing these articles reads and the index does not hold yet: once the window is
   * held, only what lies before it (articles older than the window's start) or what was forgotten.
   * Document counts it does not hold are of terms it has not counted since it loaded the window,
   * so storage has them all; postings it does not hold may be unposted articles', which it writes
   * first. Returns how many articles' postings it wrote.
   */
  private async load(tx: StoryTx, articles: ArticleToIndex[], since: Date): Promise<number> {
    let posted = 0;
    const index = this.index;
    const terms = new Set(articles.flatMap((a) => Object.keys(a.features.terms)));
    const missingDf = [...terms].filter((t) => !index.hasDf(t));
    if (missingDf.length > 0) for (const [term, df] of await termFrequencies(tx, missingDf)) index.setDf(term, df);
    index.count(articles);

    const idf = index.idf();
    const query = new Set(articles.flatMap((a) => index.queryTerms(a.features, QUERY_TERMS, idf)));
    const missingPostings = [...query].filter((t) => !index.hasPostings(t, since.getTime()));
    if (missingPostings.length > 0) {
      if (this.unposted.any) posted = await this.unposted.writeAll(tx);
      for (const [term, list] of await termPostings(tx, missingPostings, STORIES_PER_TERM)) index.setPostings(term, list);
    }

    // Headlines are loaded afresh for each batch: what is held covers the batch's time span only.
    index.clearTitles();
    const keys = [...new Set(articles.map((a) => a.titleKey))];
    if (keys.length > 0) {
      const times = articles.map((a) => a.eventAt.getTime());
      const from = new Date(Math.min(...times) - this.options.windowMs);
      const to = new Date(Math.max(...times) + this.options.windowMs);
      for (const [key, stories] of await headlineStories(tx, keys, from, to, SAME_TITLE_STORIES)) index.setTitle(key, stories);
    }

    // Most articles of a warm engine find every candidate held: only the others are looked at closely.
    const whole = (a: ArticleToIndex) => a.eventAt.getTime() - this.options.windowMs >= this.storiesWholeSince;
    const wanted = new Set(articles.flatMap((a) => (whole(a) || index.holdsCandidates(a, idf) ? [] : index.candidateIds(a, idf))));
    await this.loadStories(tx, [...wanted].filter((id) => !index.stories.has(id)));
    return posted;
  }

  /** At least `count` story ids reserved and not handed out yet: as many as the batch could start. */
  private async reserve(tx: StoryTx, count: number): Promise<void> {
    const left = this.reserved.length - this.nextReserved;
    if (left >= count) return;
    this.reserved = [...this.reserved.slice(this.nextReserved), ...(await reserveStoryIds(tx, Math.max(count - left, this.batchSize)))];
    this.nextReserved = 0;
  }

  /**
   * Places the batch a slice at a time, and writes each slice while the next is placed: storage
   * and this process work at once. The next slice is placed in short runs, between which the
   * writing goes on (its statements are sent as the one before returns).
   */
  private async placeAndWrite(tx: StoryTx, articles: ArticleToIndex[]): Promise<{ newStories: number; merges: number }> {
    const totals = { newStories: 0, merges: 0 };
    let writing: Promise<number> | null = null;
    for (let from = 0; from < articles.length; from += this.sliceSize) {
      const slice = articles.slice(from, from + this.sliceSize);
      // Stories an editor kept apart from others, as held before the slice (a merge moves them).
      const apart = new Set(this.index.separatedStories());
      const placements: Placement[] = [];
      for (const [i, article] of slice.entries()) {
        if (writing && i % PLACE_RUN === PLACE_RUN - 1) await turn();
        placements.push(this.index.place(article));
      }
      const plan: SliceWrite = planSlice(this.index, slice, placements, this.started, apart, this.computed);
      this.started = new Map();
      totals.newStories += plan.newStories.length;
      totals.merges += plan.merges;
      if (writing) this.unposted.noted(await writing);
      writing = writeSlice(tx, plan);
      // Awaited before the next slice is written or the batch ends; handled from now on, so that a
      // failure while the next slice is placed is not taken for an unhandled one.
      writing.catch(() => undefined);
    }
    if (writing) this.unposted.noted(await writing);
    return totals;
  }

  /** Keeps memory bounded: beyond maxStories, the stories least recently active are forgotten. */
  private forgetOld(articles: ArticleToIndex[]): void {
    const newest = Math.max(...articles.map((a) => a.eventAt.getTime()));
    // What no article placed from now on needs: before the newest one's window, and its slack.
    const cut = newest - this.options.windowMs - HELD_SLACK_MS;
    // Looking through every story held costs as much as placing a few hundred articles in a window
    // of a million: stories go a few minutes late, which costs only memory.
    if (cut - this.storiesCutAt >= STORIES_CUT_STEP_MS) {
      this.storiesCutAt = cut;
      this.evict(cut);
    }
    // Postings are looked through once an hour: they leave the window slowly.
    if (cut - this.postingsCutAt >= HOUR) {
      this.postingsCutAt = cut;
      this.index.forgetPostingsBefore(new Date(cut));
    }
    if (this.index.stories.size <= this.maxStories) return;
    const times = [...this.index.stories.values()].map((s) => s.lastAt).sort((a, b) => b - a);
    this.evict(times[Math.floor(this.maxStories / 2)] ?? newest);
  }

  /** Forgets the stories last active before `cutoff`: those from then on are all the engine holds whole. */
  private evict(cutoff: number): void {
    this.index.evict(new Date(cutoff));
    this.storiesWholeSince = Math.max(this.storiesWholeSince, cutoff);
  }
}
