/** Stories kept per term: those that used it most recently. */
export const STORIES_PER_TERM = 50;

/** One story that used a term, and the newest time it did. */
export interface Posting {
  storyId: string;
  lastAt: number;
}

/**
 * Term → the STORIES_PER_TERM stories that used it most recently (newest first), and each story's
 * terms in those lists, to move them when it is renamed or merged away. When not `complete`, only
 * the terms whose lists were loaded (`set`) are kept current; a posting for any other is left to
 * whoever holds that term's list.
 */
export class TermPostings {
  private readonly lists = new Map<string, Posting[]>();
  private readonly termsOfStory = new Map<string, Set<string>>();

  constructor(private readonly complete: boolean) {}

  has(term: string): boolean {
    return this.lists.has(term);
  }

  get(term: string): readonly Posting[] | undefined {
    return this.lists.get(term);
  }

  /** A term's stories, any order; the newest STORIES_PER_TERM are kept. */
  set(term: string, entries: readonly Posting[]): void {
    const list = [...entries].sort(byRecency).slice(0, STORIES_PER_TERM);
    this.lists.get(term)?.forEach((p) => this.termsOfStory.get(p.storyId)?.delete(term));
    this.lists.set(term, list);
    for (const p of list) this.track(p.storyId, term);
  }

  /** The story used the term at `at`: it moves up that term's list (kept to the newest STORIES_PER_TERM). */
  post(term: string, storyId: string, at: number): void {
    let list = this.lists.get(term);
    if (!list) {
      if (!this.complete) return;
      this.lists.set(term, (list = []));
    }
    const existing = list.findIndex((p) => p.storyId === storyId);
    let lastAt = at;
    if (existing >= 0) {
      lastAt = Math.max(lastAt, list[existing]?.lastAt ?? at);
      list.splice(existing, 1);
    }
    const entry = { storyId, lastAt };
    let i = 0;
    while (i < list.length && byRecency(list[i] as Posting, entry) <= 0) i++;
    list.splice(i, 0, entry);
    if (list.length > STORIES_PER_TERM) {
      const dropped = list.pop();
      if (dropped) this.termsOfStory.get(dropped.storyId)?.delete(term);
    }
    if (list.includes(entry)) this.track(storyId, term);
  }

  /** A placeholder id becomes the stored story's. */
  rename(from: string, to: string): void {
    const terms = this.termsOfStory.get(from);
    for (const term of terms ?? []) {
      for (const p of this.lists.get(term) ?? []) if (p.storyId === from) p.storyId = to;
    }
    this.termsOfStory.delete(from);
    if (terms) this.termsOfStory.set(to, terms);
  }

  /** `from` is folded into `into`: its postings become `into`'s, at their times. */
  absorb(from: string, into: string): void {
    for (const term of [...(this.termsOfStory.get(from) ?? [])]) {
      const list = this.lists.get(term);
      const entry = list?.find((p) => p.storyId === from);
      if (!list || !entry) continue;
      list.splice(list.indexOf(entry), 1);
      this.post(term, into, entry.lastAt);
    }
    this.termsOfStory.delete(from);
  }

  private track(storyId: string, term: string): void {
    let terms = this.termsOfStory.get(storyId);
    if (!terms) this.termsOfStory.set(storyId, (terms = new Set()));
    terms.add(term);
  }
}

/** Newest first; ties by story id, so lists do not depend on the order postings arrived in. */
function byRecency(a: Posting, b: Posting): number {
  return b.lastAt - a.lastAt || (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0);
}
