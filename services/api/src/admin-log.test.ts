import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@newsfold/logging';
import { ADMIN_TOKEN, createHarness, type Harness } from './testdata/harness.js';

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

/** Every change an admin makes leaves a line an operator can read, without the token or a feed's secrets. */
describe('admin actions in the log', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await createHarness({ log: createLogger({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
  });
  afterAll(async () => h?.close());

  it('logs subscribing, changing, refreshing and removing a feed, and creating, changing and deleting a topic', async () => {
    const created = await h.admin('/api/v1/feeds', { method: 'POST', body: JSON.stringify({ url: 'https://private.example/feed.xml?token=s3cret', tags: ['world'] }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await h.admin(`/api/v1/feeds/${id}`, { method: 'PATCH', body: JSON.stringify({ tags: ['europe'] }) })).status).toBe(200);
    expect((await h.admin(`/api/v1/feeds/${id}/refresh`, { method: 'POST' })).status).toBe(202);
    expect((await h.admin(`/api/v1/feeds/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.admin('/api/v1/topics/quakes', { method: 'PUT', body: JSON.stringify({ title: 'Quakes', query: 'earthquake' }) })).status).toBe(201);
    expect((await h.admin('/api/v1/topics/quakes', { method: 'PUT', body: JSON.stringify({ title: 'Quakes', query: 'earthquake OR tremor' }) })).status).toBe(200);
    expect((await h.admin('/api/v1/topics/quakes', { method: 'DELETE' })).status).toBe(204);

    const logged = lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.msg.startsWith('admin: '));
    expect(logged.map((l) => l.msg)).toEqual([
      'admin: subscribed to feed',
      'admin: changed feed',
      'admin: refresh',
      'admin: removed feed and its articles',
      'admin: created topic',
      'admin: changed topic',
      'admin: deleted topic',
    ]);
    expect(logged[0]).toMatchObject({ feedId: id, feed: 'private.example/feed.xml?…', tags: ['world'] });
    expect(logged[1]).toMatchObject({ feedId: id, changed: ['tags'] });
    expect(logged[5]).toMatchObject({ topic: 'quakes', query: 'earthquake OR tremor' });
    const all = lines.join('\n');
    expect(all).not.toContain('s3cret');
    expect(all).not.toContain(ADMIN_TOKEN);
  });
});
