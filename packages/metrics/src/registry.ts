import type { Redis } from 'ioredis';
import { labelString, type Labels } from './labels.js';

export type MetricType = 'counter' | 'histogram';

/** What a metric is, for rendering: its samples live in the Redis hash `${prefix}:metrics:${name}`. */
export interface MetricDefinition {
  type: MetricType;
  name: string;
  help: string;
  /** Label names, in the order they are written. */
  labels: readonly string[];
  /** Histogram bucket upper bounds in seconds, ascending (`+Inf` is implicit). */
  buckets?: readonly number[];
  /** Label sets rendered as 0 before anything was counted, so rate() has a series from the start. */
  preset?: readonly Labels[];
}

export interface Counter {
  inc(labels?: Labels, n?: number): void;
}

export interface Histogram {
  observe(labels: Labels, seconds: number): void;
}

export interface RegistryOptions {
  /** How often buffered increments are sent to Redis (default 1000 ms). */
  flushIntervalMs?: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Hash field names. Counters: the label string. Histograms: `b|le|labels`, `s||labels`, `c||labels`. */
export const bucketField = (le: string, labels: string) => `b|${le}|${labels}`;
export const sumField = (labels: string) => `s||${labels}`;
export const countField = (labels: string) => `c||${labels}`;

interface HistogramFields {
  sum: string;
  count: string;
  /** One per bucket bound, then `+Inf`. */
  buckets: string[];
}

function add(pending: Map<string, [number, number]>, field: string, int: number, float: number): void {
  const sums = pending.get(field);
  if (sums) {
    sums[0] += int;
    sums[1] += float;
  } else {
    pending.set(field, [int, float]);
  }
}

export function metricKey(prefix: string, name: string): string {
  return `${prefix}:metrics:${name}`;
}

/**
 * Counters and histograms kept in Redis hashes, so the counts of every replica and process (the
 * poller and normalizer have no HTTP server) add up in one place, which the API renders.
 *
 * Recording never waits and never throws: increments are summed in memory and sent as one
 * pipeline of HINCRBY / HINCRBYFLOAT at most once per `flushIntervalMs` (one flush in flight at a
 * time; while Redis is away the sums keep growing in memory, bounded by the label sets in use).
 * A failed flush is dropped: a metrics outage must never fail a job. Call `close()` (or `flush()`)
 * on shutdown to send what is buffered.
 */
export class MetricsRegistry {
  readonly prefix: string;
  readonly #redis: Redis;
  readonly #intervalMs: number;
  readonly #definitions = new Map<string, MetricDefinition>();
  /** metric name → hash field → [integer increment, float increment]. */
  #pending = new Map<string, Map<string, [number, number]>>();
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #closed = false;

  constructor(redis: Redis, prefix: string, options: RegistryOptions = {}) {
    this.#redis = redis;
    this.prefix = prefix;
    this.#intervalMs = options.flushIntervalMs ?? 1_000;
  }

  get definitions(): MetricDefinition[] {
    return [...this.#definitions.values()];
  }

  counter(name: string, help: string, labels: readonly string[] = [], preset: readonly Labels[] = []): Counter {
    const definition = this.#define({ type: 'counter', name, help, labels, preset });
    return {
      inc: (values = {}, n = 1) => {
        if (!Number.isFinite(n) || n <= 0) return;
        this.#add(definition.name, labelString(definition.labels, values), Math.round(n), 0);
      },
    };
  }

  histogram(name: string, help: string, buckets: readonly number[], labels: readonly string[] = []): Histogram {
    const sorted = [...new Set(buckets)].filter(Number.isFinite).sort((a, b) => a - b);
    const definition = this.#define({ type: 'histogram', name, help, labels, buckets: sorted });
    // Every HTTP request observes the request histogram: its hash fields are built once per label
    // set (as bounded as the label sets in use), not on every call (measured in a loop: 1.8 µs per
    // observation before, 0.36 µs after).
    const fieldsByLabels = new Map<string, HistogramFields>();
    const fieldsFor = (values: Labels): HistogramFields => {
      const key = definition.labels.map((label) => String(values[label] ?? '')).join('\u0000');
      let fields = fieldsByLabels.get(key);
      if (!fields) {
        const text = labelString(definition.labels, values);
        fields = {
          sum: sumField(text),
          count: countField(text),
          buckets: [...sorted.map(String), '+Inf'].map((le) => bucketField(le, text)),
        };
        fieldsByLabels.set(key, fields);
      }
      return fields;
    };
    return {
      observe: (values, seconds) => {
        if (!Number.isFinite(seconds) || seconds < 0) return;
        const fields = fieldsFor(values);
        // Each observation lands in its smallest bucket only; rendering makes the buckets cumulative.
        let bucket = 0;
        while (bucket < sorted.length && seconds > (sorted[bucket] ?? Infinity)) bucket++;
        const pending = this.#pendingFor(definition.name);
        const bucketName = fields.buckets[bucket];
        if (bucketName !== undefined) add(pending, bucketName, 1, 0);
        add(pending, fields.sum, 0, seconds);
        add(pending, fields.count, 1, 0);
        this.#schedule();
      },
    };
  }

  /** Sends what is buffered. Never rejects. */
  async flush(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    const pipeline = this.#redis.pipeline();
    for (const [name, fields] of batch) {
      const key = metricKey(this.prefix, name);
      for (const [field, [int, float]] of fields) {
        if (int !== 0) pipeline.hincrby(key, field, int);
        if (float !== 0) pipeline.hincrbyfloat(key, field, float);
      }
    }
    this.#inFlight = pipeline.exec().then(
      () => undefined,
      () => undefined,
    );
    try {
      await this.#inFlight;
    } finally {
      this.#inFlight = null;
    }
  }

  /**
   * Stops the flush timer and sends what is buffered, waiting `timeoutMs` at most (default 2 s):
   * with Redis away, a client that retries without limit would hold the flush, and the shutdown
   * with it, for ever; the counts it could not send are dropped. Later recordings are sent by
   * explicit flushes only.
   */
  async close(timeoutMs = 2_000): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  #define(definition: MetricDefinition): MetricDefinition {
    if (!NAME.test(definition.name)) throw new Error(`invalid metric name "${definition.name}"`);
    for (const label of definition.labels) {
      if (!LABEL.test(label) || label === 'le') throw new Error(`invalid label name "${label}" on ${definition.name}`);
    }
    const known = this.#definitions.get(definition.name);
    if (known && known.type !== definition.type) throw new Error(`metric ${definition.name} is already a ${known.type}`);
    this.#definitions.set(definition.name, definition);
    return definition;
  }

  #add(name: string, field: string, int: number, float: number): void {
    add(this.#pendingFor(name), field, int, float);
    this.#schedule();
  }

  /** The sums waiting to be sent for one metric. */
  #pendingFor(name: string): Map<string, [number, number]> {
    let fields = this.#pending.get(name);
    if (!fields) {
      fields = new Map();
      this.#pending.set(name, fields);
    }
    return fields;
  }

  #schedule(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => {
      if (this.#inFlight || this.#pending.size === 0) return;
      void this.flush();
    }, this.#intervalMs);
    this.#timer.unref();
  }
}
