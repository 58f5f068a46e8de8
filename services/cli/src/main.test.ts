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

  it('explains usage for an unknown command', async () => {
    const result = await newsfold(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command');
  });

  it('says in one line, without a stack, that an OPML file is missing (1) or a --min-sources is bad (2)', async () => {
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
    } finally {
      await redis.cleanup();
      await db.drop();
    }
  });
});
