import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hugeRss, startLoopbackServer, watchEventLoop, type LoopbackServer } from '@newsfold/testing';
import { feedsAdd } from './commands/feeds.js';
import { startServices } from './start-services.js';
import { createTestRuntime, type TestRuntime } from './testdata/test-runtime.js';

/**
 * Subscribing fetches and parses the feed first. A 100k-entry feed (12 MB) parsed on the event
 * loop holds it for seconds, and with it every other request, /healthz included: the parse belongs
 * on a worker thread, as the poller's. The feed is subscribed through the API as the composition
 * root (startServices) wires it, while /healthz is asked again and again and a 10 ms timer measures
 * how long the event loop was held up; then the same through `feeds add`.
 */

const TOKEN = 'huge-feed-admin-token';
const ITEMS = 100_000;
// On the event loop the parse takes seconds here; on a thread only the handing back of entry
// chunks and the fetch itself take the loop, a few ms each. Generous for a loaded machine.
const MAX_STALL_MS = 500;

/** How long the event loop was held up, at most, while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const watch = watchEventLoop();
  const result = await work().catch((error: unknown) => {
    watch.stop();
    throw error;
  });
  return { result, stallMs: watch.stop() };
}

describe('subscribing to a huge feed', () => {
  let t: TestRuntime;
  let outlet: LoopbackServer;
  const huge = hugeRss(ITEMS);

  beforeAll(async () => {
    t = await createTestRuntime({ ADMIN_TOKEN: TOKEN, PORT: '0', HOST: '127.0.0.1', STARTER_FEEDS: 'false' });
    outlet = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(huge);
    });
  });

  afterAll(async () => {
    await outlet?.close();
    await t?.drop();
  });

  beforeEach(async () => {
    await t.db.pool.query('TRUNCATE feeds, outlets RESTART IDENTITY CASCADE');
  });

  it('through the API keeps /healthz answering while the feed is parsed', { timeout: 120_000 }, async () => {
    expect(huge.byteLength).toBeGreaterThan(10_000_000);
    const services = await startServices(t.rt, { api: true });
    try {
      const api = services.api?.url ?? '';
      let answers = 0;
      let slowestHealthMs = 0;
      let subscribed = false;
      const { result: res, stallMs } = await longestStall(async () => {
        const subscribing = fetch(`${api}/api/v1/feeds`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: `${outlet.url}/huge.xml` }),
        }).finally(() => {
          subscribed = true;
        });
        while (!subscribed) {
          const asked = performance.now();
          expect((await fetch(`${api}/healthz`)).status).toBe(200);
          slowestHealthMs = Math.max(slowestHealthMs, performance.now() - asked);
          answers += 1;
        }
        return subscribing;
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ url: `${outlet.url}/huge.xml`, title: 'Huge Outlet' });
      expect(answers).toBeGreaterThan(1);
      expect(slowestHealthMs).toBeLessThan(MAX_STALL_MS);
      expect(stallMs).toBeLessThan(MAX_STALL_MS);
    } finally {
      await services.close();
    }
  });

  it('through `feeds add` parses off the event loop too', { timeout: 120_000 }, async () => {
    const { result: printed, stallMs } = await longestStall(() => feedsAdd(t.rt, `${outlet.url}/huge.xml`, []));
    expect(printed).toContain(`Huge Outlet, ${ITEMS} entries`);
    expect(stallMs).toBeLessThan(MAX_STALL_MS);
  });
});
