import type { Redis } from 'ioredis';
import type { Config } from '@newsfold/config';
import type { Pool } from '@newsfold/db';
import type { Logger } from '@newsfold/logging';
import type { Queues } from '@newsfold/queue';

export interface ApiDeps {
  config: Pick<Config, 'publicUrl' | 'adminToken' | 'poll'>;
  pool: Pool;
  queues: Queues;
  redis: Redis;
  log: Logger;
}
