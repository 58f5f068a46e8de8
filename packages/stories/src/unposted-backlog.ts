import { postUnpostedArticles, type StoryTx } from '@newsfold/db';

/**
 * Unposted articles whose postings one idle call writes: each call is a story write, and holds
 * the story lock for as long as it takes (about a second for 10,000 articles).
 */
const IDLE_POSTING = 10_000;

/**
 * What a StoryEngine knows of the articles whose postings and document counts are still to be
 * written (unposted_articles): how many it noted since it last wrote them all, and when to write.
 * An engine that has not loaded the window yet does not know what an earlier one left: it writes
 * them all when it loads the window, and looks when it is idle.
 */
export class UnpostedBacklog {
  private count = 0;

  constructor(private readonly max: number) {}

  /** What this engine knew is forgotten (a batch rolled back, or another writer moved the story revision). */
  reset(): void {
    this.count = 0;
  }

  /** A slice noted `n` more (its own articles, and those of the stories it folded). */
  noted(n: number): void {
    this.count += n;
  }

  /** Any this engine noted and did not write (before postings are read from storage, they must be). */
  get any(): boolean {
    return this.count > 0;
  }

  /** Writes them all; returns how many. */
  async writeAll(tx: StoryTx): Promise<number> {
    const posted = await postUnpostedArticles(tx);
    this.count = 0;
    return posted;
  }

  /** Past the bound, writes them all with the batch; returns how many. */
  async writeIfPastBound(tx: StoryTx): Promise<number> {
    return this.count > this.max ? this.writeAll(tx) : 0;
  }

  /** Nothing is pending: writes the next of them (`known`: the engine has loaded the window). */
  async writeWhenIdle(tx: StoryTx, known: boolean): Promise<number> {
    if (known && this.count === 0) return 0;
    const posted = await postUnpostedArticles(tx, IDLE_POSTING);
    // A full call's worth may have left more: the next call looks.
    if (known) this.count = posted === IDLE_POSTING ? Math.max(1, this.count - posted) : 0;
    return posted;
  }
}
