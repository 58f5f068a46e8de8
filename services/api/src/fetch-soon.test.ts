import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFeedByUrl } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createQueues, createRedis } from '@newsfold/queue';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { subscribeFeed } from './subscribe-feed.js';

describe('subscribing while Redis is away', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('subscribes anyway, answers in bounded time and says the first fetch waits for the poller', async () => {
    // Nothing listens on port 1: the queue connection retries for ever, as it does while Redis is down.
    const connection = createRedis('redis://127.0.0.1:1');
    connection.on('error', () => undefined);
    const queues = createQueues(connection, 'nf-away');
    queues.fetch.on('error', () => undefined);
    queues.normalize.on('error', () => undefined);
    const lines: string[] = [];
    const log = createLogger({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    try {
      // Without the bound this waits for Redis, past the test's timeout.
      const subscribed = await subscribeFeed({ pool: db.pool, queues, log, enqueueWaitMs: 200 }, 'https://away.example/feed.xml', ['world']);
      expect(subscribed).toMatchObject({ created: true, feed: { url: 'https://away.example/feed.xml', tags: ['world'] } });
      expect(await getFeedByUrl(db.pool, 'https://away.example/feed.xml')).not.toBeNull();
      expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain(
        'fetches not queued yet (is Redis down?); the poller fetches the feeds at its next tick',
      );
    } finally {
      connection.disconnect();
    }
  });
});
