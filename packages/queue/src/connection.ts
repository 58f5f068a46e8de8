import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for BullMQ. Workers block on Redis, so commands must wait for a reconnect
 * rather than fail after N retries (maxRetriesPerRequest: null), which is what lets workers ride
 * out a Redis restart by themselves.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
