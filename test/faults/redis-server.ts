import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRedis } from '@newsfold/queue';
import { guardExit } from './exit-guard.js';
import { freePort } from './free-port.js';

/** A Redis of the test's own, without persistence: a restart loses everything it held. */
export interface RedisServer {
  port: number;
  url: string;
  flushAll(): Promise<void>;
  /** kill -9 and start again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisServer(parentDir: string): Promise<RedisServer> {
  const dir = path.join(parentDir, 'redis');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const launch = async () => {
    const log = await open(path.join(dir, 'redis.log'), 'a');
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', log.fd, log.fd],
    });
    await log.close();
    await waitForPing(url);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  const unguard = guardExit(() => {
    (child as ChildProcess | null)?.kill('SIGKILL');
  });
  await launch();
  return {
    port,
    url,
    flushAll: async () => {
      const client = createRedis(url, { lazyConnect: true });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      unguard();
    },
  };
}

async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = createRedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused while the server starts: answered by the retry below, not an unhandled event.
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${url} did not answer within 20 s`, { cause: error });
    } finally {
      client.disconnect();
    }
    await sleep(50);
  }
}
