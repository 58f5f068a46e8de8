import { getTopic, latestStoryRevision, topicValidator, type ChangeListener, type Queryable, type StoriesRevision, type TopicRow } from '@newsfold/db';

export interface Validator {
  /** Opaque: changes whenever what a read of the topic returns may have changed. */
  revision: string;
  /** For Last-Modified (lastModifiedFor rounds it); a fresh Date per call. */
  lastChange: Date;
}

/**
 * Topic rows and the latest story revision, kept in memory while a change listener is live, so
 * that a conditional GET of a topic feed (and a repeated story query) is answered without a query.
 * Correctness rests on Postgres' change notifications (migration 004): every write to `topics` or
 * `stories` notifies at commit, and the listener drops everything held here when one arrives, or
 * when its connection is lost or re-made. Without a live listener every call reads through.
 *
 * A read that races a write can bring back the row as it was before the write. A notification
 * arriving while it is in flight clears the map (invalidate), so that read is handed to its callers
 * but no longer held; the generation check only stops such a read, when it fails or is not kept,
 * from deleting a newer entry for the same key. The cache never holds a value older than the last
 * notification it saw. Between a commit and its notification arriving
 * (well under a millisecond here) a reader may get the previous validator: what HTTP caching
 * promises anyway, since the client sees the change on its next request.
 */
export class TopicState {
  readonly #topics = new Map<string, Promise<TopicRow | null>>();
  #stories: Promise<StoriesRevision> | undefined;
  #generation = 0;
  readonly #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly changes?: ChangeListener,
  ) {
    this.#unsubscribe = changes?.onChange(() => this.invalidate());
  }

  /** Forgets everything: on every notification, and after this process's own writes. */
  invalidate(): void {
    this.#generation += 1;
    this.#topics.clear();
    this.#stories = undefined;
  }

  /** Moves on every invalidation: what was read under one generation may be kept while it holds. */
  get generation(): number {
    return this.#generation;
  }

  /** Whether change notifications are arriving, so that what is held here can be trusted. */
  get live(): boolean {
    return this.changes?.live === true;
  }

  close(): void {
    this.#unsubscribe?.();
    this.invalidate();
  }

  topic(slug: string): Promise<TopicRow | null> {
    if (!this.live) return getTopic(this.db, slug);
    const held = this.#topics.get(slug);
    if (held) return held;
    const reading = this.#hold(
      () => getTopic(this.db, slug),
      // A missing topic is not held: a stream of made-up slugs must not grow the map.
      (row) => row !== null,
      (p) => this.#topics.set(slug, p),
      () => this.#topics.delete(slug),
    );
    return reading;
  }

  /** When any story last changed. */
  stories(): Promise<StoriesRevision> {
    if (!this.live) return latestStoryRevision(this.db);
    if (this.#stories) return this.#stories;
    return this.#hold(
      () => latestStoryRevision(this.db),
      () => true,
      (p) => (this.#stories = p),
      () => (this.#stories = undefined),
    );
  }

  /** The validator of a read of `topic` with this minimum number of sources (see topicValidator). */
  validator(topic: TopicRow, minSources: number): Promise<Validator> {
    return topicValidator(topic, minSources, () => this.stories());
  }

  /**
   * Shares one read among concurrent callers, and keeps its result unless a notification (or a
   * local write) came while it was in flight, or it failed.
   */
  #hold<T>(read: () => Promise<T>, keep: (value: T) => boolean, set: (p: Promise<T>) => void, unset: () => void): Promise<T> {
    const generation = this.#generation;
    const reading = read();
    set(reading);
    const forget = () => {
      if (this.#generation === generation) unset();
    };
    reading.then((value) => (keep(value) ? undefined : forget()), forget);
    return reading;
  }
}
