import type { Redis } from 'ioredis';
import { braces, escapeLabelValue, labelString, type Labels } from './labels.js';
import { metricKey, type MetricDefinition } from './registry.js';

/** A gauge computed at scrape time (queue depths, feeds by state, table sizes). */
export interface GaugeFamily {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function header(name: string, help: string, type: string): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
}

function renderCounter(definition: MetricDefinition, hash: Record<string, string>): string[] {
  const values = new Map<string, number>();
  for (const preset of definition.preset ?? []) values.set(labelString(definition.labels, preset), 0);
  if (definition.labels.length === 0) values.set('', 0);
  for (const [field, value] of Object.entries(hash)) values.set(field, Number(value));
  const lines = header(definition.name, definition.help, 'counter');
  for (const [labels, value] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`${definition.name}${braces(labels)} ${formatValue(value)}`);
  }
  return lines;
}

interface Series {
  buckets: Map<string, number>;
  sum: number;
  count: number;
}

function renderHistogram(definition: MetricDefinition, hash: Record<string, string>): string[] {
  const series = new Map<string, Series>();
  const get = (labels: string) => {
    let s = series.get(labels);
    if (!s) {
      s = { buckets: new Map(), sum: 0, count: 0 };
      series.set(labels, s);
    }
    return s;
  };
  if (definition.labels.length === 0) get('');
  for (const [field, raw] of Object.entries(hash)) {
    const first = field.indexOf('|');
    const second = field.indexOf('|', first + 1);
    if (first < 0 || second < 0) continue;
    const kind = field.slice(0, first);
    const le = field.slice(first + 1, second);
    const s = get(field.slice(second + 1));
    const value = Number(raw);
    if (kind === 'b') s.buckets.set(le, (s.buckets.get(le) ?? 0) + value);
    else if (kind === 's') s.sum = value;
    else if (kind === 'c') s.count = value;
  }
  const lines = header(definition.name, definition.help, 'histogram');
  const bounds = definition.buckets ?? [];
  for (const [labels, s] of [...series].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let cumulative = 0;
    for (const bound of bounds) {
      cumulative += s.buckets.get(String(bound)) ?? 0;
      lines.push(`${definition.name}_bucket${braces(labels, `le="${formatValue(bound)}"`)} ${cumulative}`);
    }
    // +Inf is the count, by definition (and so stays consistent even if a bucket write was lost).
    lines.push(`${definition.name}_bucket${braces(labels, 'le="+Inf"')} ${Math.max(s.count, cumulative)}`);
    lines.push(`${definition.name}_sum${braces(labels)} ${formatValue(s.sum)}`);
    lines.push(`${definition.name}_count${braces(labels)} ${Math.max(s.count, cumulative)}`);
  }
  return lines;
}

function renderGauge(family: GaugeFamily): string[] {
  const lines = header(family.name, family.help, 'gauge');
  for (const { labels, value } of family.samples) {
    const text = Object.entries(labels)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}="${escapeLabelValue(String(v))}"`)
      .join(',');
    lines.push(`${family.name}${braces(text)} ${formatValue(value)}`);
  }
  return lines;
}

/**
 * The Prometheus text exposition format (version 0.0.4) for the given counters and histograms,
 * read back from Redis in one pipeline, followed by the gauges computed at scrape time.
 */
export async function renderPrometheus(
  redis: Redis,
  prefix: string,
  definitions: readonly MetricDefinition[],
  gauges?: () => Promise<GaugeFamily[]>,
): Promise<string> {
  const pipeline = redis.pipeline();
  for (const d of definitions) pipeline.hgetall(metricKey(prefix, d.name));
  const [results, families] = await Promise.all([definitions.length > 0 ? pipeline.exec() : Promise.resolve([]), gauges ? gauges() : []]);
  const lines: string[] = [];
  definitions.forEach((definition, i) => {
    const [error, hash] = results?.[i] ?? [null, {}];
    if (error) throw error;
    const fields = (hash ?? {}) as Record<string, string>;
    lines.push(...(definition.type === 'counter' ? renderCounter(definition, fields) : renderHistogram(definition, fields)));
  });
  for (const family of families) lines.push(...renderGauge(family));
  return `${lines.join('\n')}\n`;
}
