import type { Redis } from 'ioredis';
import type { Config } from '@newsfold/config';
import type { ChangeListener, Pool } from '@newsfold/db';
import type { ProbedFeed } from '@newsfold/fetcher';
import type { HealthMonitor } from '@newsfold/health';
import type { Logger } from '@newsfold/logging';
import type { Metrics } from '@newsfold/metrics';
import type { Queues } from '@newsfold/queue';
import type { TopicRecomputer } from './topic-recompute.js';

export interface ApiDeps {
  config: Pick<Config, 'publicUrl' | 'adminToken' | 'poll' | 'apiReadRate' | 'apiTrustProxy'>;
  pool: Pool;
  queues: Queues;
  redis: Redis;
  log: Logger;
  /** Rebuilds topic membership in the background (topic-recompute.ts); its owner stops it after the server. */
  recomputer: TopicRecomputer;
  /**
   * Checks a URL before subscribing (fetch through the guarded fetcher, follow a web page to its
   * feed, parse). The composition root always provides it; tests that only exercise storage may
   * leave it out, and URLs are then stored as given.
   */
  probe?: (url: string) => Promise<ProbedFeed>;
  /**
   * This process's metrics (request latency; /metrics renders every process's counters from
   * Redis). Without it, /metrics still renders what the workers recorded.
   */
  metrics?: Metrics;
  /**
   * Postgres change notifications. While live, topic rows and story revisions are held in memory
   * (topic-state.ts) and conditional GETs cost no query. startApi makes one when none is given;
   * an app without one reads validators from the database on every request.
   */
  changes?: ChangeListener;
  /**
   * Whether Postgres and Redis answer, for /readyz, shared with the process's workers. Without it
   * (tests building an app alone) the health route makes one of its own.
   */
  health?: HealthMonitor;
}
