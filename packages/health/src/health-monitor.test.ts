import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '@newsfold/db';
import { captureLog, createTestDatabase, createTestRedis, startTcpProxy, until, type TcpProxy, type TestDatabase } from '@newsfold/testing';
import { isConnectionError } from './connection-error.js';
import { createHealthMonitor, type HealthMonitor } from './health-monitor.js';
import { startHealthServer } from './health-server.js';

describe('isConnectionError', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['Postgres shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['Postgres starting up', withCode('57P03', 'the database system is starting up')],
    ['a connection that ended', new Error('Connection terminated unexpectedly')],
    ['Redis closed', new Error('Connection is closed.')],
    ['a wrapped one', new Error('normalize failed', { cause: withCode('ECONNRESET') })],
    ['both address families refused', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
  ])('is %s', (_, error) => expect(isConnectionError(error)).toBe(true));
  it.each([
    ['a syntax error', withCode('42601', 'syntax error at or near "SELEC"')],
    ['a constraint violated', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
    // As much a pool whose clients are all busy as a Postgres that does not answer.
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
  ])('is not %s', (_, error) => expect(isConnectionError(error)).toBe(false));
});

describe('the health monitor through a connection that goes down and comes back', () => {
  let db: TestDatabase;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let pool: Pool;
  let redis: Redis;
  let monitor: HealthMonitor | undefined;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    const dbUrl = new URL(db.url);
    pgProxy = await startTcpProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
    const redisUrl = new URL(createTestRedis().url);
    redisProxy = await startTcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    dbUrl.port = String(pgProxy.port);
    pool = createPool(dbUrl.href, { max: 2 });
    redis = new Redis(`redis://127.0.0.1:${redisProxy.port}`, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  });
  afterEach(async () => {
    monitor?.stop();
    monitor = undefined;
    await pgProxy.restore();
    await redisProxy.restore();
  });
  afterAll(async () => {
    redis?.disconnect();
    await pool?.end().catch(() => undefined);
    await pgProxy?.close();
    await redisProxy?.close();
    await db?.drop();
  });

  it('says once that Postgres is unreachable, once that it is back, and reports it in readiness meanwhile', async () => {
    const { lines, log } = captureLog();
    monitor = createHealthMonitor({ pool, redis, log, intervalMs: 200, downIntervalMs: 100 });
    monitor.start();
    await until('both are connected', async () => (await monitor!.check()).ready);
    expect(await monitor.check()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'ok' } });
    // A pool out of clients while Postgres answers is a problem of its own, said in full.
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    expect(monitor.report(poolTimeout)).toBe(false);

    await pgProxy.cut();
    await until('the outage is noticed', async () => !(await monitor!.check()).ready);
    const down = await monitor.check();
    expect(down.checks.redis).toBe('ok');
    expect(down.checks.postgres).toMatch(/ECONNREFUSED|terminated|connect/i);
    // Jobs failing meanwhile hand their errors over: quiet, and no new line.
    for (let i = 0; i < 20; i++) expect(monitor.report(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(monitor.report(new TypeError('a bug'))).toBe(false);
    expect(monitor.report(poolTimeout)).toBe(true);
    await sleep(500);

    await pgProxy.restore();
    await until('the recovery is noticed', async () => (await monitor!.check()).ready);
    const said = lines.filter((l) => l.dependency === 'postgres').map((l) => [l.level, l.msg]);
    expect(said).toEqual([
      [40, expect.stringMatching(/^Postgres unreachable \(check DATABASE_URL\): .+$/)],
      [30, 'Postgres reachable again'],
    ]);
  });

  it('says once that Redis is unreachable while its client retries every 100 ms, and once that it is back', async () => {
    const { lines, log } = captureLog();
    monitor = createHealthMonitor({ pool, redis, log, intervalMs: 200, downIntervalMs: 100 });
    monitor.start();
    await until('Redis is connected', async () => (await monitor!.check()).ready);

    await redisProxy.cut();
    await until('the outage is noticed', async () => (await monitor!.check()).checks.redis !== 'ok');
    // Ten reconnect attempts or so, each an 'error' on the client.
    await sleep(1_000);
    expect((await monitor.check()).checks).toEqual({ postgres: 'ok', redis: expect.stringMatching(/^not connected/) });

    await redisProxy.restore();
    await until('the recovery is noticed', async () => (await monitor!.check()).ready);
    const said = lines.filter((l) => l.dependency === 'redis').map((l) => [l.level, l.msg]);
    expect(said).toEqual([
      [40, expect.stringMatching(/^Redis unreachable \(check REDIS_URL\): .+$/)],
      [30, 'Redis reachable again'],
    ]);
  });

  it('serves /healthz and /readyz, 503 with the reason while a dependency is down and while a check fails', async () => {
    const { log } = captureLog();
    monitor = createHealthMonitor({ pool, redis, log });
    let worker = 'ok';
    monitor.addCheck('normalizer', () => worker);
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', monitor });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
      return { status: res.status, body: (await res.json()) as unknown };
    };
    try {
      expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ok', checks: { postgres: 'ok', redis: 'ok', normalizer: 'ok' } } });
      worker = 'normalize worker stopped';
      expect(await get('/readyz')).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { postgres: 'ok', redis: 'ok', normalizer: 'normalize worker stopped' } },
      });
      worker = 'ok';
      await pgProxy.cut();
      const res = await get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'unavailable', checks: { postgres: expect.not.stringMatching(/^ok$/), redis: 'ok' } });
      expect((await get('/elsewhere')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
