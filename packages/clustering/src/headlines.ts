import { SharedMap } from './shared-map.js';

/**
 * Headline key → story → the newest time an article with that headline joined it, and each
 * story's keys, to move them when it is merged away. When not `complete`, only the
 * keys that were loaded (`set`) gain stories.
 */
export class Headlines {
  private stories = new SharedMap<string, Map<string, number>>((stories) => new Map(stories));
  private keysOfStory = new SharedMap<string, Set<string>>((keys) => new Set(keys));

  constructor(private readonly complete: boolean) {}

  /** A copy that goes its own way from here (the two share what neither changed). */
  clone(): Headlines {
    const copy = new Headlines(this.complete);
    copy.stories = this.stories.clone();
    copy.keysOfStory = this.keysOfStory.clone();
    return copy;
  }

  get(key: string): ReadonlyMap<string, number> | undefined {
    return this.stories.get(key);
  }

  set(key: string, entries: readonly { storyId: string; at: number }[]): void {
    this.stories.get(key)?.forEach((_, id) => this.keysOfStory.mutable(id)?.delete(key));
    this.stories.set(key, new Map(entries.map((e) => [e.storyId, e.at])));
    for (const e of entries) this.note(e.storyId, key);
  }

  clear(): void {
    this.stories.clear();
    this.keysOfStory.clear();
  }

  /** An article with this headline joined the story at `at`. */
  add(key: string, storyId: string, at: number): void {
    let titled = this.stories.mutable(key);
    if (!titled && this.complete) this.stories.set(key, (titled = new Map()));
    if (!titled) return;
    titled.set(storyId, Math.max(titled.get(storyId) ?? at, at));
    this.note(storyId, key);
  }

  /** `from` is folded into `into`: its headlines are `into`'s, at the newer time. */
  absorb(from: string, into: string): void {
    for (const key of this.keysOfStory.get(from) ?? []) {
      const stories = this.stories.mutable(key);
      const at = stories?.get(from);
      if (!stories || at === undefined) continue;
      stories.delete(from);
      stories.set(into, Math.max(stories.get(into) ?? at, at));
      this.note(into, key);
    }
    this.keysOfStory.delete(from);
  }

  private note(storyId: string, key: string): void {
    let keys = this.keysOfStory.mutable(storyId);
    if (!keys) this.keysOfStory.set(storyId, (keys = new Set()));
    keys.add(key);
  }
}
