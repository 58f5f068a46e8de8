export { MetricsRegistry, metricKey, type Counter, type Histogram, type MetricDefinition, type MetricType, type RegistryOptions } from './registry.js';
export { renderPrometheus, PROMETHEUS_CONTENT_TYPE, type GaugeFamily } from './render.js';
export { escapeLabelValue, type Labels } from './labels.js';
export { createMetrics, FETCH_OUTCOMES, LATENCY_BUCKETS, type FetchOutcomeLike, type Metrics } from './newsfold-metrics.js';
export { queueGauges, type QueueLike } from './queue-gauges.js';
