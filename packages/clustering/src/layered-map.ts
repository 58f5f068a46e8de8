/** A key deleted in a layer over one that still holds it. */
const GONE = Symbol('gone');
type Slot<V> = V | typeof GONE;

/** Layers above the bottom one at most before they are merged into one. */
const MAX_UPPER_LAYERS = 3;

/**
 * A map that copies in time proportional to what changed since it was last copied, not to its
 * size: copying freezes what the map holds as a layer that the copy and the original both read
 * through, and each writes to a layer of its own above it. The settle pass copies an index of a
 * hundred thousand articles' terms two or three times per pass (to resume from where it stood),
 * and copying whole maps took a fifth of the pass.
 *
 * Lookups read down the layers, and keep what they find in the map's own: there are few, as the
 * upper ones are merged past MAX_UPPER_LAYERS, and all of them into one once they hold as much
 * as half the bottom one.
 * A map never copied has no layer below its own and reads as a plain Map. Values are never
 * `undefined`.
 */
export class LayeredMap<K, V> {
  private own: Map<K, Slot<V>>;
  /** Frozen layers, the bottom one first: shared with copies, never changed. */
  private below: readonly ReadonlyMap<K, Slot<V>>[] = [];
  /** Keys held, counted once there are layers below (own.size until then). */
  private count = 0;

  constructor(entries?: Iterable<readonly [K, V]>) {
    this.own = new Map(entries);
  }

  get size(): number {
    return this.below.length === 0 ? this.own.size : this.count;
  }

  get(key: K): V | undefined {
    const value = this.own.get(key);
    if (value !== undefined) return value === GONE ? undefined : value;
    for (let i = this.below.length - 1; i >= 0; i--) {
      const held = (this.below[i] as ReadonlyMap<K, Slot<V>>).get(key);
      if (held === undefined) continue;
      if (held === GONE) return undefined;
      // Kept in its own layer: the next read of it is one lookup (a pass reads the same terms' entries again and again).
      this.own.set(key, held);
      return held;
    }
    return undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): void {
    if (this.below.length > 0 && !this.has(key)) this.count += 1;
    this.own.set(key, value);
  }

  delete(key: K): boolean {
    if (this.below.length === 0) return this.own.delete(key);
    if (!this.has(key)) return false;
    this.count -= 1;
    this.own.set(key, GONE);
    return true;
  }

  clear(): void {
    this.own = new Map();
    this.below = [];
  }

  /** Every entry once (a snapshot when there are layers below, so the map may change meanwhile). */
  entries(): IterableIterator<[K, V]> {
    if (this.below.length === 0) return (this.own as Map<K, V>).entries();
    return this.merged().entries();
  }

  keys(): IterableIterator<K> {
    if (this.below.length === 0) return this.own.keys();
    return this.merged().keys();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** A copy: from now on neither sees the other's changes. */
  clone(): LayeredMap<K, V> {
    const size = this.size;
    if (this.own.size > 0) {
      this.below = [...this.below, this.own];
      this.own = new Map();
    }
    this.count = size;
    this.compact();
    const copy = new LayeredMap<K, V>();
    copy.below = this.below;
    copy.count = this.count;
    return copy;
  }

  /** Merges the upper layers into one, and every layer into one once the upper ones weigh as much as half the bottom one. */
  private compact(): void {
    const [bottom, ...upper] = this.below;
    if (!bottom || upper.length <= MAX_UPPER_LAYERS) return;
    if (upper.reduce((n, layer) => n + layer.size, 0) * 2 >= bottom.size) {
      this.below = [this.merged()];
      return;
    }
    const merged = new Map<K, Slot<V>>();
    for (const layer of upper) for (const [key, value] of layer) merged.set(key, value);
    this.below = [bottom, merged];
  }

  /** Every key's value as the layers say, in one Map. */
  private merged(): Map<K, V> {
    const out = new Map<K, V>();
    const gone = new Set<K>();
    for (const layer of [this.own, ...[...this.below].reverse()]) {
      for (const [key, value] of layer) {
        if (out.has(key) || gone.has(key)) continue;
        if (value === GONE) gone.add(key);
        else out.set(key, value);
      }
    }
    return out;
  }
}
