import { candidateIds, holdsCandidates, QUERY_TERMS, queryTerms, type CandidateSources } from './candidates.js';
import { CENTROID_TERMS, decideStory, type CandidateStory, type StoryDecision } from './decide-story.js';
import type { ArticleFeatures } from './features.js';
import { Headlines } from './headlines.js';
import { IdfEpochs } from './idf-epochs.js';
import { IdfByNumber, joinNumbered, NO_TERMS, numberTerms, termsByName, type NumberedTerms } from './numbered-terms.js';
import { signatureSketches } from './minhash.js';
import type { Idf } from './similarity.js';
import { sparseVector, type SparseVector } from './sparse-vector.js';
import { TermIds } from './term-ids.js';
import { STORIES_PER_TERM, TermPostings, type Posting } from './term-postings.js';
import { hashTitleKeys } from './title-hashes.js';

export { STORIES_PER_TERM, type Posting };

/**
 * Terms numbered at most before the numbering starts afresh (with every weighted centroid, which
 * are worked out again as they are next compared): a warm index lives for weeks, and the
 * vocabulary of news keeps growing with new names.
 */
const MAX_TERM_IDS = 2_000_000;

/** Signatures and headline keys kept per story: its newest articles'. */
export const STORY_MEMORY = 20;

/** A story as it is given to the index (addStory): its centroid by term. */
export interface StoryToIndex {
  id: string;
  /** Summed term weights of its articles, strongest CENTROID_TERMS kept. */
  centroid: Readonly<Record<string, number>>;
  lastEventAt: Date;
  /** MinHash signatures of its newest articles, newest first. */
  signatures: number[][];
  /** Normalised headlines of its newest articles, newest first. */
  titleKeys: string[];
}

/** A story as placement needs it. */
export interface IndexedStory {
  id: string;
  /** Its centroid, terms numbered by the index's table (centroidOf names them). */
  centroid: NumberedTerms;
  /** Its newest article's event time, in ms: read with the story's other fields (a Date would lie elsewhere on the heap). */
  lastAt: number;
  signatures: number[][];
  titleKeys: string[];
  /** `centroid` weighted by the index's IDF, kept while neither changes (at IDF epoch `weightedAt`). */
  weighted: SparseVector | undefined;
  weightedAt: number;
  /** hashTitleKeys(titleKeys), kept while they do not change. */
  titleHashes: Int32Array | undefined;
  /** signatureSketches(signatures), kept while they do not change. */
  sketches: Int32Array | undefined;
}

/**
 * A story with every field placement may set present from the start: objects of one shape keep
 * property reads fast (adding fields later, and deleting them, leaves objects V8 reads as
 * dictionaries).
 */
function shaped(id: string, centroid: NumberedTerms, lastAt: number, signatures: number[][], titleKeys: string[]): IndexedStory {
  return { id, centroid, lastAt, signatures, titleKeys, weighted: undefined, weightedAt: -1, titleHashes: undefined, sketches: undefined };
}

export interface ArticleToIndex {
  id: string;
  features: ArticleFeatures;
  titleKey: string;
  eventAt: Date;
}

export interface Placement {
  articleId: string;
  /** The story the article is in once placed (the survivor of any merge it caused). */
  storyId: string;
  /** The article started this story (it may have absorbed others on the way). */
  created: boolean;
  score: number;
  /** 'same-title', 'near-copy', 'similar: 0.41', 'new-story'. */
  reason: string;
  /** Stories folded into `storyId` by this placement, with the similarity that merged them. */
  merged: { storyId: string; score: number }[];
  /** Stories it came near without joining them (StoryDecision.nearby), as they were when it was placed. */
  nearby: string[];
}

export interface StoryIndexOptions {
  windowMs: number;
  /**
   * Every term's postings and every headline's stories are in the index (an index built from
   * scratch over a set of articles). Otherwise only what was loaded is (setPostings, setTitle):
   * the rest is left to whoever knows it, and placing an article touches only what was loaded.
   */
  complete: boolean;
  /** The id for a story started by this article. */
  newStoryId(article: ArticleToIndex): string;
  /** Older first: negative when `a` is older than `b`. The oldest story survives a merge. */
  compareAge(a: string, b: string): number;
  /** Stories never merged with each other, besides those an editor separated (`separate`). */
  apart?(a: string, b: string): boolean;
  /**
   * How far counting documents (`count`) may move the document counts before the IDF follows
   * (0.05: once they grew by 5%); 0, the default, every time. Each move re-weighs every centroid
   * compared afterwards, most of what a warm batch costs over a large window, while 5% more
   * documents move a term's IDF by at most ln(1.05) ≈ 0.05.
   */
  idfDrift?: number;
  /** Stories scored per article at most (CANDIDATES by default: benchmarks compare others). */
  candidates?: number;
}

/**
 * The stories of a window in memory, and the placing rule (decideStory) applied to articles one
 * by one against them: what an article's terms retrieve, which story it joins or starts, which it
 * bridges and merges, and the index updated as the database would be. Pure: no I/O. The story
 * assigner keeps one warm between batches (loading what each batch needs first); the settle pass
 * builds one from scratch over a window of articles.
 */
export class StoryIndex {
  readonly stories = new Map<string, IndexedStory>();
  private readonly postings: TermPostings;
  private readonly titles: Headlines;
  /** Story → the stories an editor kept it apart from (both ways). */
  private readonly separations = new Map<string, Set<string>>();
  private readonly counts: IdfEpochs;
  private readonly sources: CandidateSources;
  /** The numbering of stories' weighted centroids (shared with copies: it only grows). */
  private terms: TermIds;
  private readonly idfByNumber = new IdfByNumber();

  constructor(
    private readonly options: StoryIndexOptions,
    from?: { postings: TermPostings; titles: Headlines; counts: IdfEpochs; terms: TermIds },
  ) {
    this.postings = from?.postings ?? new TermPostings(options.complete);
    this.titles = from?.titles ?? new Headlines(options.complete);
    this.counts = from?.counts ?? new IdfEpochs(options.idfDrift ?? 0);
    this.terms = from?.terms ?? new TermIds();
    this.sources = { postings: this.postings, titles: this.titles, windowMs: options.windowMs, compareAge: options.compareAge, candidates: options.candidates };
  }

  /**
   * A copy that goes its own way from here: placing in one changes nothing in the other (the
   * settle pass keeps one as it stood partway, to resume from). Stories' fields are replaced,
   * never changed in place, as articles join them, so a story is copied shallowly. `options`:
   * the copy's (its new stories' ids, say), the same by default.
   */
  clone(options: StoryIndexOptions = this.options): StoryIndex {
    const copy = new StoryIndex(options, { postings: this.postings.clone(), titles: this.titles.clone(), counts: this.counts.clone(), terms: this.terms });
    for (const [id, story] of this.stories) copy.stories.set(id, { ...story });
    for (const [id, apart] of this.separations) copy.separations.set(id, new Set(apart));
    return copy;
  }

  get documents(): number {
    return this.counts.documents;
  }

  set documents(count: number) {
    this.counts.documents = count;
  }

  hasDf(term: string): boolean {
    return this.counts.hasDf(term);
  }

  setDf(term: string, count: number): void {
    this.counts.setDf(term, count);
  }

  /**
   * Counts these articles as documents, all at once: a batch is placed with one IDF, whatever the
   * order of the articles within it. With `idfDrift`, the IDF moves only once the documents have
   * grown by that share since it last did.
   */
  count(articles: readonly ArticleToIndex[]): void {
    this.counts.count(articles.map((a) => Object.keys(a.features.terms)));
    if (this.terms.size > MAX_TERM_IDS) this.renumberTerms();
  }

  /**
   * Numbers terms afresh: the terms no centroid holds are forgotten, and every weighted centroid
   * (weighed again as it is next compared).
   */
  renumberTerms(): void {
    const old = this.terms;
    this.terms = new TermIds();
    for (const story of this.stories.values()) {
      const ids = story.centroid.ids.map((id) => this.terms.id(old.term(id)));
      story.centroid = { ids, raw: story.centroid.raw };
      story.weighted = undefined;
    }
  }

  hasPostings(term: string, since = -Infinity): boolean {
    return this.postings.has(term, since);
  }

  /** Every term's postings from `at` on were loaded (setPostings): a term without any has none. */
  holdPostingsSince(at: Date): void {
    this.postings.holdSince(at.getTime());
  }

  /**
   * A term's stories, any order; the newest STORIES_PER_TERM are kept. `whole`: all of its
   * postings (else those since the time given to holdPostingsSince).
   */
  setPostings(term: string, entries: Posting[], whole = true): void {
    this.postings.set(term, entries, whole);
  }

  setTitle(titleKey: string, entries: { storyId: string; at: number }[]): void {
    this.titles.set(titleKey, entries);
  }

  /** Forgets every headline held (what is loaded covers one batch's time span). */
  clearTitles(): void {
    this.titles.clear();
  }

  addStory(story: StoryToIndex): void {
    this.stories.set(story.id, shaped(story.id, numberTerms(story.centroid, this.terms), story.lastEventAt.getTime(), story.signatures, story.titleKeys));
  }

  /**
   * Works out now what scoring these held stories reads (their weighted centroids, headline
   * hashes and signature sketches), which placing would otherwise work out the first time each
   * is a candidate: a warm assigner loads stories before it places, and pays for them then.
   */
  prepareStories(ids: Iterable<string>): void {
    const idf = this.idf();
    for (const id of ids) {
      const story = this.stories.get(id);
      if (story) this.prepare(story, idf);
    }
  }

  private prepare(story: IndexedStory, idf: Idf): void {
    if (!story.weighted || story.weightedAt !== this.counts.epoch) {
      story.weighted = this.weigh(story, idf);
      story.weightedAt = this.counts.epoch;
    }
    story.titleHashes ??= hashTitleKeys(story.titleKeys);
    story.sketches ??= signatureSketches(story.signatures);
  }

  /** A held story's centroid by term (what is stored), undefined when the story is not held. */
  centroidOf(storyId: string): Record<string, number> | undefined {
    const story = this.stories.get(storyId);
    return story && termsByName(story.centroid, this.terms);
  }

  separate(a: string, b: string): void {
    this.separatedFrom(a).add(b);
    this.separatedFrom(b).add(a);
  }

  /** The stories an editor kept apart from another. */
  separatedStories(): string[] {
    return [...this.separations].filter(([, others]) => others.size > 0).map(([id]) => id);
  }

  isSeparated(a: string, b: string): boolean {
    return this.separations.get(a)?.has(b) ?? false;
  }

  /**
   * The IDF of this epoch: over the documents counted when it began, each term's value worked out
   * once, from its count when first asked for.
   */
  idf(): Idf {
    return this.counts.idf();
  }

  /** An article's strongest terms by weight × IDF (ties by term), `count` of them. */
  queryTerms(features: ArticleFeatures, count = QUERY_TERMS, idf: Idf = this.idf()): readonly string[] {
    return queryTerms(features, count, idf);
  }

  /** The stories an article would be compared with, as candidate retrieval finds them (candidates.ts). */
  candidateIds(article: ArticleToIndex, idf: Idf = this.idf()): string[] {
    return candidateIds(this.sources, article, idf);
  }

  /** Whether every story candidateIds could return for this article is in `stories`. */
  holdsCandidates(article: ArticleToIndex, idf: Idf = this.idf()): boolean {
    return holdsCandidates(this.sources, this.stories, article, idf);
  }

  /**
   * Places an article (counted as a document first: `count`): retrieves and scores its candidates
   * (decideStory), joins the best or starts a story, folds in the stories it bridges, and updates
   * the index. Candidates not in `stories` (not loaded) are left out.
   */
  place(article: ArticleToIndex): Placement {
    const idf = this.idf();
    const candidates: CandidateStory[] = [];
    for (const id of this.candidateIds(article, idf)) {
      const story = this.stories.get(id);
      if (!story) continue;
      this.prepare(story, idf);
      candidates.push({
        storyId: story.id,
        numbered: story.centroid,
        weighted: story.weighted,
        lastAt: story.lastAt,
        signatures: story.signatures,
        titleKeys: story.titleKeys,
        titleHashes: story.titleHashes,
        sketches: story.sketches,
      });
    }
    const decision: StoryDecision = decideStory(
      { features: article.features, titleKey: article.titleKey, eventAt: article.eventAt },
      candidates,
      idf,
      {
        windowMs: this.options.windowMs,
        separated: (a, b) => this.isSeparated(a, b) || (this.options.apart?.(a, b) ?? false),
        compareAge: this.options.compareAge,
        terms: this.terms,
      },
    );
    const created = decision.storyId === null;
    const chosen = decision.storyId ?? this.options.newStoryId(article);
    if (created) this.stories.set(chosen, shaped(chosen, NO_TERMS, article.eventAt.getTime(), [], []));
    const group = [chosen, ...decision.merges.map((m) => m.storyId)];
    const survivor = group.reduce((a, b) => (this.options.compareAge(a, b) <= 0 ? a : b));
    const absorbed = group.filter((id) => id !== survivor);
    for (const id of absorbed) this.absorb(id, survivor, group);
    this.join(survivor, article);
    const score = (id: string) => (id === chosen ? decision.score : (decision.merges.find((m) => m.storyId === id)?.score ?? 0));
    return {
      articleId: article.id,
      storyId: survivor,
      created,
      score: decision.score,
      reason: decision.reason,
      merged: absorbed.map((id) => ({ storyId: id, score: score(id) })),
      nearby: decision.nearby,
    };
  }

  /**
   * A story whose articles are given, not decided (one an editor made): it holds them as if each
   * had joined it in turn, whatever they would score.
   */
  seedStory(storyId: string, articles: readonly ArticleToIndex[]): void {
    const first = articles[0];
    if (!first) return;
    if (!this.stories.has(storyId)) this.stories.set(storyId, shaped(storyId, NO_TERMS, first.eventAt.getTime(), [], []));
    for (const article of articles) this.join(storyId, article);
  }

  /** Forgets stories last active before `cutoff` (they have left the window). */
  evict(cutoff: Date): void {
    const at = cutoff.getTime();
    for (const [id, story] of this.stories) if (story.lastAt < at) this.stories.delete(id);
  }

  /** Forgets postings older than `cutoff`, which no article placed from now on looks back to. */
  forgetPostingsBefore(cutoff: Date): void {
    this.postings.forgetBefore(cutoff.getTime());
  }

  /**
   * sparseVector(the centroid, idf, terms, CENTROID_TERMS). A centroid holds no more than
   * CENTROID_TERMS terms but one given otherwise (addStory), so it is weighted as it is.
   */
  private weigh(story: IndexedStory, idf: Idf): SparseVector {
    if (story.centroid.ids.length > CENTROID_TERMS) return sparseVector(termsByName(story.centroid, this.terms), idf, this.terms, CENTROID_TERMS);
    return this.idfByNumber.weigh(story.centroid, idf, this.counts.epoch, this.terms);
  }

  /** The article joins the story: centroid, recency, memory of signatures and headlines, postings. */
  private join(storyId: string, article: ArticleToIndex): void {
    const story = this.stories.get(storyId);
    if (!story) throw new Error(`story ${storyId} is not in the index`);
    story.centroid = joinNumbered(story.centroid, numberTerms(article.features.terms, this.terms), CENTROID_TERMS, this.terms);
    story.weighted = undefined;
    story.titleHashes = undefined;
    story.sketches = undefined;
    story.lastAt = Math.max(story.lastAt, article.eventAt.getTime());
    if (article.features.signature.length > 0) story.signatures = [article.features.signature, ...story.signatures].slice(0, STORY_MEMORY);
    story.titleKeys = [article.titleKey, ...story.titleKeys].slice(0, STORY_MEMORY);
    const at = article.eventAt.getTime();
    for (const term of Object.keys(article.features.terms)) this.postings.post(term, storyId, at);
    this.titles.add(article.titleKey, storyId, at);
  }

  /** `from` is folded into `into`: its weights, memory, postings, headlines and separations. */
  private absorb(from: string, into: string, group: readonly string[]): void {
    const gone = this.stories.get(from);
    const survivor = this.stories.get(into);
    if (!gone || !survivor) throw new Error(`merging ${from} into ${into}: a story is not in the index`);
    survivor.centroid = joinNumbered(survivor.centroid, gone.centroid, CENTROID_TERMS, this.terms);
    survivor.weighted = undefined;
    survivor.titleHashes = undefined;
    survivor.sketches = undefined;
    survivor.lastAt = Math.max(survivor.lastAt, gone.lastAt);
    survivor.signatures = [...survivor.signatures, ...gone.signatures].slice(0, STORY_MEMORY);
    survivor.titleKeys = [...survivor.titleKeys, ...gone.titleKeys].slice(0, STORY_MEMORY);
    this.postings.absorb(from, into);
    this.titles.absorb(from, into);
    // Kept apart from `from`, kept apart from the story it joined (but for the group merging now).
    this.moveSeparations(from, into, group);
    this.stories.delete(from);
  }

  /** `from`'s separations become `to`'s, but for those from stories in `except`. */
  private moveSeparations(from: string, to: string, except: readonly string[] = []): void {
    const apart = this.separations.get(from);
    this.separations.delete(from);
    for (const other of apart ?? []) {
      this.separations.get(other)?.delete(from);
      if (other !== to && !except.includes(other)) this.separate(to, other);
    }
  }

  private separatedFrom(storyId: string): Set<string> {
    let apart = this.separations.get(storyId);
    if (!apart) this.separations.set(storyId, (apart = new Set()));
    return apart;
  }
}
