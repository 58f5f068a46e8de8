import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { listenForChanges, type ChangeEvent, type ChangeListener } from './change-listener.js';
import { createPool } from './pool.js';
import { insertFeed } from './queries/feeds.js';
import { upsertTopic } from './queries/topics.js';

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('change listener', () => {
  let db: TestDatabase;
  let listener: ChangeListener;
  const events: ChangeEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    listener = await listenForChanges(db.pool, { retryMs: 20 });
    listener.onChange((e) => events.push(e));
  });
  afterAll(async () => {
    await listener.close();
    await db.drop();
  });

  it('reports a committed topic change by the time sync() resolves', async () => {
    expect(listener.live).toBe(true);
    events.length = 0;
    await upsertTopic(db.pool, { slug: 'ukraine', title: 'Ukraine', query: 'ukraine' });
    await listener.sync();
    expect(events).toEqual(['topics']);
  });

  it('sends the queries of overlapping syncs one at a time (pg@9 refuses a query sent while one runs)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const beating = await listenForChanges(db.pool, { heartbeatMs: 5 });
    try {
      await Promise.all(Array.from({ length: 20 }, () => beating.sync()));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await beating.sync();
      expect(beating.live).toBe(true);
    } finally {
      await beating.close();
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it('reports story writes once per transaction, and says nothing of other tables', async () => {
    events.length = 0;
    await insertFeed(db.pool, { url: 'https://outlet.example/feed.xml' });
    await listener.sync();
    expect(events).toEqual([]);

    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO stories (title, first_seen_at, updated_at) VALUES ('a', now(), now())`);
      await client.query(`INSERT INTO stories (title, first_seen_at, updated_at) VALUES ('b', now(), now())`);
      await listener.sync();
      expect(events).toEqual([]); // nothing before commit
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await listener.sync();
    expect(events).toEqual(['stories']);
  });

  it('says "anything may have changed" when its connection dies, then reconnects and listens again', async () => {
    events.length = 0;
    await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'newsfold-listen'`,
    );
    await until(() => events.includes(null));
    // Reconnected: live again, with a second reset for whatever happened while it was down.
    await until(() => listener.live && events.filter((e) => e === null).length >= 2);
    events.length = 0;
    await upsertTopic(db.pool, { slug: 'ukraine', title: 'Ukraine again', query: 'ukraine' });
    await listener.sync();
    expect(events).toEqual(['topics']);
  });

  it('counts a connection that stops answering (half-open) as lost, and listens again on a new one', async () => {
    // A TCP proxy to Postgres whose existing connections can be made to go silent, as after a
    // failover or a dropped NAT entry: no error, no close, just nothing more either way.
    const target = new URL(db.url);
    const silenced = new Set<Socket>();
    const open = new Set<Socket>();
    const accepted: Socket[] = [];
    const proxy = createServer((downstream) => {
      accepted.push(downstream);
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const [from, to] of [
        [downstream, upstream],
        [upstream, downstream],
      ] as const) {
        open.add(from);
        from.on('data', (chunk: Buffer) => (silenced.has(downstream) ? undefined : to.write(chunk)));
        from.on('error', () => to.destroy());
        from.on('close', () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(db.url);
    proxied.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const pool = createPool(proxied.toString());
    const quiet = await listenForChanges(pool, { retryMs: 20, heartbeatMs: 50, heartbeatTimeoutMs: 300 });
    const seen: ChangeEvent[] = [];
    quiet.onChange((e) => seen.push(e));
    try {
      expect(quiet.live).toBe(true);
      // The listening connection is the first made (its probe then goes through the pool's).
      const listening = accepted[0];
      if (!listening) throw new Error('no connection through the proxy');
      silenced.add(listening);
      await until(() => !quiet.live);
      expect(seen).toContain(null);
      await until(() => quiet.live);
      seen.length = 0;
      await upsertTopic(db.pool, { slug: 'failover', title: 'After the failover', query: 'failover' });
      await quiet.sync();
      expect(seen).toEqual(['topics']);
    } finally {
      await quiet.close();
      await pool.end();
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('is never live behind a proxy that passes LISTEN but not the notifications (a transaction-mode pooler)', async () => {
    const target = new URL(db.url);
    const sockets = new Set<Socket>();
    // Forwards everything but the server's NotificationResponse messages ('A'): LISTEN succeeds,
    // and then nothing arrives, as through PgBouncer in transaction mode.
    const proxy = createServer((downstream) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(downstream).add(upstream);
      downstream.on('data', (chunk: Buffer) => upstream.write(chunk));
      let pending = Buffer.alloc(0);
      upstream.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 5) {
          const size = 1 + pending.readInt32BE(1);
          if (pending.length < size) break;
          if (pending[0] !== 0x41) downstream.write(pending.subarray(0, size));
          pending = pending.subarray(size);
        }
      });
      for (const socket of [downstream, upstream]) {
        socket.on('error', () => undefined);
        socket.on('close', () => (socket === downstream ? upstream : downstream).destroy());
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(db.url);
    proxied.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const pool = createPool(proxied.toString());
    const errors: string[] = [];
    const deaf = await listenForChanges(pool, { retryMs: 50, heartbeatMs: 50, heartbeatTimeoutMs: 200, onError: (e) => errors.push(String(e)) });
    try {
      expect(deaf.live).toBe(false);
      expect(errors[0]).toMatch(/did not arrive within 200 ms/);
      // Queries through it work; the listener keeps trying and keeps finding nothing.
      await pool.query('SELECT 1');
      await until(() => errors.length >= 2);
      expect(deaf.live).toBe(false);
    } finally {
      await deaf.close();
      await pool.end();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('is not live once closed, and reports nothing after its closing reset', async () => {
    const second = await listenForChanges(db.pool);
    const seen: ChangeEvent[] = [];
    second.onChange((e) => seen.push(e));
    await second.close();
    expect(second.live).toBe(false);
    await upsertTopic(db.pool, { slug: 'closed', title: 'Closed' });
    await listener.sync();
    expect(seen).toEqual([null]);
  });
});
