import { execFile } from 'node:child_process';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, createTestRedis, startLoopbackServer, type LoopbackServer } from '@newsfold/testing';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;

/** Runs the real `newsfold` command, as `pnpm newsfold` does. */
async function newsfold(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=newsfold-source', '--import', 'tsx', 'services/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('newsfold CLI', () => {
  let server: LoopbackServer;
  let dir: string;
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end('<rss version="2.0"><channel><title>Loop</title><item><title>One &amp; only</title><guid>1</guid></item></channel></rss>');
      } else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>hello</body></html>');
    });
    dir = await mkdtemp(join(tmpdir(), 'newsfold-cli-'));
    await writeFile(join(dir, 'good.json'), JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: 'a', title: 'A' }] }));
  });
  afterAll(() => server.close());

  it('parse prints one JSON object per input and an error object for a bad one', async () => {
    const result = await newsfold(
      ['parse', join(dir, 'good.json'), join(dir, 'missing.xml'), `${server.url}/feed.xml`, `${server.url}/page.html`],
      { FETCH_ALLOW_PRIVATE_NETWORKS: 'true' },
    );
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ format: 'json', title: 'J' });
    expect(lines[1]).toEqual({ error: { code: 'not_found', message: expect.stringContaining('missing.xml') } });
    expect(lines[2]).toMatchObject({ format: 'rss', entries: [{ title: 'One & only', guid: '1' }] });
    expect(lines[3]).toMatchObject({ error: { code: 'not_a_feed' } });
  });

  it('parse refuses a loopback URL unless private networks are allowed', async () => {
    const before = server.requests.length;
    const result = await newsfold(['parse', `${server.url}/feed.xml`]);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'blocked_address' } });
    expect(server.requests.length).toBe(before);
  });

  it('lists every configuration problem at once and exits 2', async () => {
    const result = await newsfold(['feeds', 'list'], { PORT: 'eighty', POLL_MIN_INTERVAL: 'soon' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('POLL_MIN_INTERVAL');
  });

  it('explains usage for an unknown command, or a known one used wrong, before connecting anywhere', async () => {
    const result = await newsfold(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command');
    // Nothing listens on port 1: usage comes first all the same.
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
    for (const args of [['feeds'], ['feeds', 'add'], ['topics', 'set'], ['opml', 'import']]) {
      const wrong = await newsfold(args, env);
      expect(wrong.code, args.join(' ')).toBe(2);
      expect(wrong.stderr, args.join(' ')).toMatch(/^newsfold: usage: newsfold /);
    }
  });

  it('writes large output whole through a slow pipe, and says in one line, without a stack, that a file is missing (1), an option is bad (2), the database is missing or the port taken', { timeout: 30_000 }, async () => {
    const db = await createTestDatabase();
    const redis = createTestRedis();
    try {
      const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix };
      const missing = await newsfold(['opml', 'import', join(dir, 'missing.opml')], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(`newsfold: no such file: ${join(dir, 'missing.opml')}\n`);
      const bad = await newsfold(['topics', 'set', 'storms', '--min-sources', 'abc'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('newsfold: --min-sources takes a whole number from 1 to 1000\n');

      // Output larger than a pipe holds arrives whole (the test reads stdout through a pipe).
      const many = Array.from({ length: 900 }, (_, i) => `<outline type="rss" text="Feed ${i} with a longish title" xmlUrl="https://f${i}.example/feed.xml"/>`);
      await writeFile(join(dir, 'many.opml'), `<?xml version="1.0"?><opml version="2.0"><body>${many.join('')}</body></opml>`);
      expect((await newsfold(['opml', 'import', join(dir, 'many.opml')], env)).stdout).toMatch(/^imported 900 outlines: 900 new feeds/);
      // Through a reader that takes its time, as `opml export | gzip > backup` may.
      const exported = await run('sh', ['-c', `"${process.execPath}" --conditions=newsfold-source --import tsx services/cli/src/main.ts opml export | (sleep 1; cat)`], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
        maxBuffer: 10_000_000,
      });
      expect(exported.stdout.length).toBeGreaterThan(100_000);
      expect(exported.stdout.trimEnd().endsWith('</opml>')).toBe(true);
      expect(exported.stdout.match(/xmlUrl=/g)).toHaveLength(900);

      // A mistyped database name is reported, not created (only migrate and the services create it).
      const typo = new URL(db.url);
      typo.pathname = `${typo.pathname}_typo`;
      const missingDb = await newsfold(['feeds', 'list'], { ...env, DATABASE_URL: typo.href });
      expect(missingDb.code).toBe(1);
      expect(missingDb.stderr).toMatch(/^newsfold: database "\w+_typo" does not exist: check DATABASE_URL, or create it with newsfold migrate\n$/);
      const { rows } = await db.pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [typo.pathname.slice(1)]);
      expect(rows).toHaveLength(0);

      // A port another process holds: one line, no stack.
      const taken = await newsfold(['api'], { ...env, STARTER_FEEDS: 'false', HOST: '127.0.0.1', PORT: new URL(server.url).port });
      expect(taken.code).toBe(1);
      expect(taken.stderr).toMatch(/^newsfold: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+: another process holds that port; set PORT \(or HOST\) to a free one\n$/);
      // A HOST that is not this machine's, or no name at all: said to be HOST's fault, not Postgres'.
      const foreign = await newsfold(['api'], { ...env, STARTER_FEEDS: 'false', HOST: '192.0.2.1', PORT: '0' });
      expect(foreign.stderr).toMatch(/^newsfold: listen EADDRNOTAVAIL: .*: HOST is not an address of this machine\n$/);
      const unnamed = await newsfold(['api'], { ...env, STARTER_FEEDS: 'false', HOST: 'nowhere.invalid', PORT: '0' });
      expect(unnamed.stderr).toMatch(/^newsfold: getaddrinfo (ENOTFOUND|EAI_AGAIN) nowhere\.invalid: HOST does not name this machine\n$/);
    } finally {
      await redis.cleanup();
      await db.drop();
    }
  });

  it('gives up on an unreachable Redis with a clear error instead of hanging', { timeout: 30_000 }, async () => {
    const db = await createTestDatabase();
    try {
      const result = await newsfold(['poll', '--once'], { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'warn' });
      expect(result.code).toBe(1);
      // One warning for the outage, not one per reconnect attempt, then the answer.
      const [warning, answer, ...rest] = result.stderr.trimEnd().split('\n');
      expect(JSON.parse(warning ?? '')).toMatchObject({ msg: expect.stringMatching(/^Redis unreachable \(check REDIS_URL\): /) });
      expect(answer).toBe('newsfold: no answer from Redis in 5 s: is it running, and REDIS_URL right?');
      expect(rest).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
