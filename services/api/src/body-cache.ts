/** Bytes of response bodies kept per cache. */
const BODY_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Response bodies by a key that names one representation exactly: for a topic feed its ETag
 * (format, topic, the topic's content revision, limit, min_sources; the public URL and TTL are the
 * app's constants); for a story query, the query and the revision it was read at. The body made
 * for a key is the body for every request that computes the same key, until the data changes and
 * the key with it. A feed is polled by every reader subscribed to it: this turns all but the first
 * 200 after each change into one lookup, with no story read and no rendering. Least recently used
 * bodies go first past the size budget; concurrent misses for one key share one read and render.
 * Never stale beyond what the key (and so a 304) already asserts. Bodies are kept UTF-8 encoded,
 * so a hit is not re-encoded either, and their gzip variant is kept beside them under its own key
 * (send-cached.ts).
 */
export class BodyCache {
  readonly #bodies = new Map<string, Uint8Array<ArrayBuffer>>();
  readonly #pending = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  #bytes = 0;
  constructor(private readonly budgetBytes: number = BODY_CACHE_BYTES) {}

  async get(key: string, render: () => Promise<string | Uint8Array<ArrayBuffer>>): Promise<Uint8Array<ArrayBuffer>> {
    const cached = this.#bodies.get(key);
    if (cached !== undefined) {
      // Most recently used last.
      this.#bodies.delete(key);
      this.#bodies.set(key, cached);
      return cached;
    }
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const rendering = render().then((made) => {
      const body = typeof made === 'string' ? Buffer.from(made, 'utf8') : made;
      this.#store(key, body);
      return body;
    });
    this.#pending.set(key, rendering);
    try {
      return await rendering;
    } finally {
      this.#pending.delete(key);
    }
  }

  /** Whether `key` is held or being rendered: a get would read nothing more. */
  has(key: string): boolean {
    return this.#bodies.has(key) || this.#pending.has(key);
  }

  get size(): number {
    return this.#bodies.size;
  }

  #store(key: string, body: Uint8Array<ArrayBuffer>): void {
    if (body.byteLength > this.budgetBytes / 4) return;
    this.#bodies.set(key, body);
    this.#bytes += body.byteLength;
    for (const [key, value] of this.#bodies) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#bodies.delete(key);
      this.#bytes -= value.byteLength;
    }
  }
}
