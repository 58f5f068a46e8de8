import { SharedMap } from './shared-map.js';

/** Stories kept per term: those that used it most recently. */
export const STORIES_PER_TERM = 50;

/** One story that used a term, and the newest time it did. */
export interface Posting {
  storyId: string;
  lastAt: number;
}

/**
 * One term's postings, newest first (ties by story id): story ids and their times side by side.
 * Retrieval reads the times of eight lists of fifty for every article placed, and times in one
 * array of numbers are read at once, where fifty posting objects each lay somewhere on the heap.
 */
export interface PostingList {
  ids: string[];
  ats: number[];
}

const copyList = (list: PostingList): PostingList => ({ ids: [...list.ids], ats: [...list.ats] });

/**
 * Term → the STORIES_PER_TERM stories that used it most recently (newest first), and each story's
 * terms in those lists, to move them when it is merged away.
 *
 * What is held: every term's postings from `heldSince` on (all of them when `complete`; none but
 * those loaded otherwise, until `holdSince` says a window's worth was loaded), and in full each
 * term whose list was loaded on its own (`set`). A posting for a term not held is left to whoever
 * holds that term's list.
 */
export class TermPostings {
  private lists = new SharedMap<string, PostingList>(copyList);
  private termsOfStory = new SharedMap<string, Set<string>>((terms) => new Set(terms));
  /** Terms whose list was loaded whole (`set`), whatever `heldSince` is. */
  private readonly whole = new Set<string>();
  private heldSince: number;

  constructor(complete: boolean) {
    this.heldSince = complete ? -Infinity : Infinity;
  }

  /** A copy that goes its own way from here (the two share lists until either changes one). */
  clone(): TermPostings {
    const copy = new TermPostings(false);
    copy.heldSince = this.heldSince;
    copy.lists = this.lists.clone();
    copy.termsOfStory = this.termsOfStory.clone();
    for (const term of this.whole) copy.whole.add(term);
    return copy;
  }

  /** Whether the term's postings from `since` on are all held (an absent list then means none). */
  has(term: string, since = -Infinity): boolean {
    return this.whole.has(term) || since >= this.heldSince;
  }

  /**
   * Every term's postings from `at` on are held from now on: they were all loaded (`set`), and
   * posts for terms without a list start one.
   */
  holdSince(at: number): void {
    this.heldSince = at;
  }

  /**
   * Forgets postings older than `cutoff` (out of every window asked for from now on): lists left
   * empty go, and what is held starts at `cutoff` at the earliest.
   */
  forgetBefore(cutoff: number): void {
    // Deleting from a Map while iterating it is safe; so is replacing a value (mutable).
    for (const [term, held] of this.lists.entries()) {
      let keep = held.ats.length;
      while (keep > 0 && (held.ats[keep - 1] as number) < cutoff) keep--;
      if (keep === held.ats.length && keep > 0) continue;
      const list = this.lists.mutable(term) as PostingList;
      const dropped = list.ids.splice(keep);
      list.ats.splice(keep);
      for (const id of dropped) this.untrack(id, term);
      // A list cut short no longer holds the term's older postings.
      if (dropped.length > 0) this.whole.delete(term);
      if (list.ids.length === 0) {
        this.lists.delete(term);
        this.whole.delete(term);
      }
    }
    if (this.heldSince < cutoff) this.heldSince = cutoff;
  }

  /** The term's postings, to read only. */
  get(term: string): Readonly<PostingList> | undefined {
    return this.lists.get(term);
  }

  /**
   * A term's stories, any order; the newest STORIES_PER_TERM are kept. `whole`: these are all the
   * term's postings (else those from the time given to holdSince on).
   */
  set(term: string, entries: readonly Posting[], whole = true): void {
    const kept = [...entries].sort((a, b) => newer(a.lastAt, a.storyId, b.lastAt, b.storyId)).slice(0, STORIES_PER_TERM);
    this.lists.get(term)?.ids.forEach((id) => this.untrack(id, term));
    this.lists.set(term, { ids: kept.map((p) => p.storyId), ats: kept.map((p) => p.lastAt) });
    if (whole) this.whole.add(term);
    else this.whole.delete(term);
    for (const p of kept) this.track(p.storyId, term);
  }

  /**
   * The story used the term at `at`: it moves up that term's list (kept to the newest
   * STORIES_PER_TERM). A term not held gains no list.
   */
  post(term: string, storyId: string, at: number): void {
    let list = this.lists.mutable(term);
    if (!list) {
      if (this.heldSince === Infinity) return;
      this.lists.set(term, (list = { ids: [], ats: [] }));
    }
    const { ids, ats } = list;
    let lastAt = at;
    // Most posts are a story's first use of the term: no need to look for it in the list.
    const existing = this.termsOfStory.get(storyId)?.has(term) ? ids.indexOf(storyId) : -1;
    if (existing >= 0) {
      lastAt = Math.max(lastAt, ats[existing] as number);
      ids.splice(existing, 1);
      ats.splice(existing, 1);
    }
    let i = 0;
    while (i < ids.length && newer(ats[i] as number, ids[i] as string, lastAt, storyId) <= 0) i++;
    ids.splice(i, 0, storyId);
    ats.splice(i, 0, lastAt);
    if (ids.length > STORIES_PER_TERM) {
      const dropped = ids.pop() as string;
      ats.pop();
      this.untrack(dropped, term);
      // The story's own posting fell off the end: it is not in the list.
      if (i === STORIES_PER_TERM) return;
    }
    this.track(storyId, term);
  }

  /** `from` is folded into `into`: its postings become `into`'s, at their times. */
  absorb(from: string, into: string): void {
    for (const term of [...(this.termsOfStory.get(from) ?? [])]) {
      const list = this.lists.mutable(term);
      const at = list ? list.ids.indexOf(from) : -1;
      if (!list || at < 0) continue;
      const lastAt = list.ats[at] as number;
      list.ids.splice(at, 1);
      list.ats.splice(at, 1);
      this.post(term, into, lastAt);
    }
    this.termsOfStory.delete(from);
  }

  private untrack(storyId: string, term: string): void {
    const terms = this.termsOfStory.mutable(storyId);
    terms?.delete(term);
    if (terms?.size === 0) this.termsOfStory.delete(storyId);
  }

  private track(storyId: string, term: string): void {
    let terms = this.termsOfStory.mutable(storyId);
    if (!terms) this.termsOfStory.set(storyId, (terms = new Set()));
    terms.add(term);
  }
}

/** Newest first; ties by story id, so lists do not depend on the order postings arrived in. */
function newer(atA: number, idA: string, atB: number, idB: string): number {
  return atB - atA || (idA < idB ? -1 : idA > idB ? 1 : 0);
}
