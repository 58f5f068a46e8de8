import { LayeredMap } from './layered-map.js';

/**
 * A map of mutable containers (arrays, sets, maps) that copies of it share until one of them
 * changes a value: then that one copies the value first. Copying the map copies neither values
 * nor keys (LayeredMap), so the settle pass can keep an index as it stood partway (hundreds of
 * thousands of postings lists) in what changed since the last copy.
 *
 * Read values through `get` and never change them; change them only through `mutable`.
 */
export class SharedMap<K, V extends object> {
  private map: LayeredMap<K, V>;
  /** The values this copy made or copied itself, of those it holds: the only ones it may change in place. */
  private owned = new Set<V>();

  constructor(
    private readonly copyValue: (value: V) => V,
    from?: LayeredMap<K, V>,
  ) {
    this.map = from ?? new LayeredMap();
  }

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value, to read only. */
  get(key: K): V | undefined {
    return this.map.get(key);
  }

  /** The value, to change in place: this copy's own, copied first if it was shared. */
  mutable(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined || this.owned.has(value)) return value;
    const own = this.copyValue(value);
    this.set(key, own);
    return own;
  }

  /** Sets a value this copy made (it owns it from now on). */
  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) this.owned.delete(old);
    this.map.set(key, value);
    this.owned.add(value);
  }

  delete(key: K): boolean {
    const old = this.map.get(key);
    if (old !== undefined) this.owned.delete(old);
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.owned = new Set();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  /** A copy sharing every value with this one: from now on neither changes a value without copying it. */
  clone(): SharedMap<K, V> {
    this.owned = new Set();
    return new SharedMap(this.copyValue, this.map.clone());
  }
}
