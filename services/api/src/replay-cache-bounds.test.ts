import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { ageChanges } from '@newsfold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForChanges } from '@newsfold/db';
import { createApp } from './app.js';
import { BodyCache } from './body-cache.js';
import { notModified, notModifiedResponse, weakEtag } from './conditional-get.js';
import { ReplayCache } from './replay-cache.js';
import { sendCached } from './send-cached.js';
import { apiRequestListener } from './server.js';
import { createHarness, minutesAgo, seedFeed, seedOutlet, seedStory, type Harness } from './testdata/harness.js';
import { rawGet as get } from './testdata/raw-get.js';
import { TopicState } from './topic-state.js';

describe('replay cache bounds and liveness', () => {
  let h: Harness;
  let server: Server;
  let url: string;
  const listener = { close: async () => undefined as void };
  let replay: ReplayCache;

  beforeAll(async () => {
    h = await createHarness();
    await seedStory(h.db.pool, [{ feedId: await seedFeed(h.db.pool, 'https://a.example/f.xml'), outletId: await seedOutlet(h.db.pool, 'A'), title: 'A story', publishedAt: minutesAgo(5) }]);
    await ageChanges(h.db.pool);
    const changes = await listenForChanges(h.db.pool);
    listener.close = () => changes.close();
    const deps = { ...h.deps, changes };
    const state = new TopicState(deps.pool, changes);
    replay = new ReplayCache(state, undefined, { entries: 2, bytes: 1024 * 1024 });
    server = createServer(apiRequestListener(createApp(deps, { state, replay }), replay));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await listener.close();
    await h?.close();
  });

  it('keeps at most its limit of URLs, oldest out first', async () => {
    const paths = ['/topics/all/rss.xml?a', '/topics/all/rss.xml?b', '/topics/all/rss.xml?c'];
    for (const path of paths) await get(`${url}${path}`);
    const hits = replay.hits;
    await get(`${url}${paths[0]}`);
    expect(replay.hits, 'the oldest was dropped').toBe(hits);
    await get(`${url}${paths[2]}`);
    expect(replay.hits, 'the newest is kept').toBe(hits + 1);
  });

  it('replays nothing once change notifications stop, and the app answers', async () => {
    const path = '/topics/all/rss.xml';
    await get(`${url}${path}`);
    const hits = replay.hits;
    expect((await get(`${url}${path}`)).status).toBe(200);
    expect(replay.hits).toBe(hits + 1);
    await listener.close();
    for (let i = 0; i < 2; i++) expect((await get(`${url}${path}`)).status).toBe(200);
    expect(replay.hits).toBe(hits + 1);
  });

  it('keeps no answer made while the data changed under it', async () => {
    const changes = await listenForChanges(h.db.pool);
    const state = new TopicState(h.db.pool, changes);
    const own = new ReplayCache(state);
    const bodies = new BodyCache();
    const app = new Hono();
    app.use(own.record());
    app.get('/:name', async (c) => {
      const etag = weakEtag(c.req.param('name'));
      c.header('ETag', etag);
      if (notModified(c, etag)) return notModifiedResponse(c, 'text/plain');
      // A write to a watched table, and its notification arriving, while this request is answered.
      if (c.req.param('name') === 'racy') {
        await h.db.pool.query("UPDATE topics SET title = title WHERE slug = 'all'");
        await changes.sync();
      }
      return sendCached(c, bodies, c.req.param('name'), async () => `body of ${c.req.param('name')}`, 'text/plain');
    });
    const racy = createServer(apiRequestListener(app, own));
    await new Promise<void>((resolve) => racy.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(racy.address() as AddressInfo).port}`;
    try {
      for (const name of ['racy', 'racy', 'calm', 'calm']) expect((await get(`${base}/${name}`)).status).toBe(200);
      expect(own.hits, 'only the second calm request is replayed').toBe(1);
    } finally {
      racy.closeAllConnections();
      await new Promise((resolve) => racy.close(resolve));
      state.close();
      await changes.close();
    }
  });
});
