import type { LookupAddress } from 'node:dns';
import type { Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import { startLoopbackServer, type LoopbackServer } from '@newsfold/testing';
import { closeFetcher, createGuardedAgent, createGuardedConnector, createGuardedLookup, type Resolver } from './guarded-agent.js';
import { fetchUrl, type FetchOptions } from './fetch-url.js';
import { FetchError } from './fetch-error.js';
import { failure } from './testdata/failure.js';

// DNS is not HTTP: these tests inject a resolver, and connect to real loopback servers.
const PUBLIC = '93.184.215.14';

const base: FetchOptions = {
  timeoutMs: 2_000,
  maxBytes: 1_000_000,
  maxRedirects: 3,
  allowPrivateNetworks: false,
  userAgent: 'newsfold/test (+http://localhost)',
};

function resolver(answers: Record<string, string[][]>): Resolver {
  const calls = new Map<string, number>();
  return (hostname) => {
    const n = calls.get(hostname) ?? 0;
    calls.set(hostname, n + 1);
    const list = answers[hostname];
    const answer = list?.[Math.min(n, list.length - 1)];
    if (!answer) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(answer.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

function lookupOnce(lookup: ReturnType<typeof createGuardedLookup>, host: string, all: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    lookup(host, { all }, (error: Error | null, address: unknown, family?: number) =>
      error ? reject(error) : resolve(all ? address : [address, family]),
    );
  });
}

const servers: LoopbackServer[] = [];
const agents: Agent[] = [];
async function serve(handler: Parameters<typeof startLoopbackServer>[0]): Promise<{ server: LoopbackServer; port: string }> {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  return { server, port: new URL(server.url).port };
}
function agent(...args: Parameters<typeof createGuardedAgent>): Agent {
  const created = createGuardedAgent(...args);
  agents.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all([...servers.splice(0), ...agents.splice(0)].map((s) => s.close()));
});
afterAll(closeFetcher);

describe('createGuardedLookup', () => {
  const lookup = createGuardedLookup({
    resolve: resolver({
      'public.test': [[PUBLIC, '2606:2800:21f:cb07:6820:80da:af6b:8b2c']],
      'mixed.test': [[PUBLIC, '10.0.0.7']],
      'empty.test': [[]],
    }),
  });

  it('hands over checked public addresses, one or all', async () => {
    expect(await lookupOnce(lookup, 'public.test', true)).toEqual([
      { address: PUBLIC, family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
    expect(await lookupOnce(lookup, 'public.test', false)).toEqual([PUBLIC, 4]);
  });

  it('refuses the whole answer when any address in it is private', async () => {
    const error = (await lookupOnce(lookup, 'mixed.test', true).catch((e: unknown) => e)) as FetchError;
    expect([error.code, error.message]).toEqual(['blocked_address', expect.stringContaining('10.0.0.7')]);
  });

  it('reports resolution failures as dns_error', async () => {
    for (const host of ['missing.test', 'empty.test']) {
      const error = (await lookupOnce(lookup, host, false).catch((e: unknown) => e)) as FetchError;
      expect(error.code, host).toBe('dns_error');
    }
  });
});

describe('createGuardedConnector', () => {
  it('refuses IP-literal hosts, which net.connect would not look up, without connecting', async () => {
    const { server, port } = await serve((_req, res) => res.writeHead(200).end('secret'));
    const connect = createGuardedConnector();
    for (const hostname of ['127.0.0.1', '[::1]', '::ffff:7f00:1', '0.0.0.0']) {
      const error = await new Promise<Error | null>((resolve) => {
        connect({ hostname, protocol: 'http:', port }, (err: Error | null, socket: Socket | null) => {
          socket?.destroy();
          resolve(err);
        });
      });
      expect((error as FetchError | null)?.code, hostname).toBe('blocked_address');
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('the guarded agent', () => {
  it('refuses a name that resolves to loopback, and the listener sees nothing', async () => {
    const { server, port } = await serve((_req, res) => res.writeHead(200).end('secret'));
    const dispatcher = agent({ resolve: resolver({ 'rebind.test': [['127.0.0.1']] }) });
    const error = await failure(fetchUrl(`http://rebind.test:${port}/`, { ...base, dispatcher }));
    expect([error.code, error.message]).toEqual(['blocked_address', expect.stringContaining('rebind.test resolves to 127.0.0.1')]);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses names resolving to other private and metadata addresses, over http and https', async () => {
    const { server, port } = await serve((_req, res) => res.writeHead(200).end('secret'));
    const answers = { 'v6.test': [['::1']], 'mapped.test': [['::ffff:127.0.0.1']], 'metadata.test': [['169.254.169.254']], 'lan.test': [['192.168.1.1']] };
    const dispatcher = agent({ resolve: resolver(answers) });
    for (const host of Object.keys(answers)) {
      for (const scheme of ['http', 'https']) {
        const error = await failure(fetchUrl(`${scheme}://${host}:${port}/`, { ...base, dispatcher }));
        expect(error.code, `${scheme}://${host}`).toBe('blocked_address');
      }
    }
    expect(server.requests).toHaveLength(0);
  });

  it('connects to the very address it checked, so DNS rebinding after a check is caught', async () => {
    // Here 127.0.0.1 plays the public internet and the mapped spelling of loopback the private
    // network: the name answers the allowed address first and the forbidden one after. A check
    // made by one lookup and a connection made by another would reach the forbidden address.
    const { server, port } = await serve((_req, res) => res.writeHead(200).end('public'));
    let lookups = 0;
    const answers = resolver({ 'rebind.test': [['127.0.0.1'], ['::ffff:127.0.0.1']] });
    const resolve: Resolver = (hostname) => {
      lookups += 1;
      return answers(hostname);
    };
    const dispatcher = agent({ resolve, isAllowed: (address) => address === '127.0.0.1' });
    const res = await fetchUrl(`http://rebind.test:${port}/`, { ...base, dispatcher });
    expect(res.notModified ? null : new TextDecoder().decode(res.body)).toBe('public');
    expect(lookups).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  describe('on every redirect hop', () => {
    // Here 127.0.0.1 plays the public internet, and any other spelling of loopback (an
    // IPv4-mapped IPv6 address reaches the same listener) plays the private network.
    const resolve = resolver({ 'feed.test': [['127.0.0.1']], 'internal.test': [['::ffff:127.0.0.1']] });
    const isAllowed = (address: string) => address === '127.0.0.1';

    async function setUp() {
      const secret = await serve((_req, res) => res.writeHead(200).end('secret'));
      const entry = await serve((req, res) => {
        const to = req.url === '/to-name' ? `http://internal.test:${secret.port}/` : `http://[::ffff:7f00:1]:${secret.port}/`;
        res.writeHead(302, { location: to }).end();
      });
      return { secret: secret.server, entry: entry.server, url: `http://feed.test:${entry.port}` };
    }

    it('refuses a redirect to a name or a literal in the private network', async () => {
      const { secret, entry, url } = await setUp();
      const dispatcher = agent({ resolve, isAllowed });
      for (const path of ['/to-name', '/to-literal']) {
        expect((await failure(fetchUrl(`${url}${path}`, { ...base, dispatcher }))).code, path).toBe('blocked_address');
      }
      expect(entry.requests.map((r) => r.url)).toEqual(['/to-name', '/to-literal']);
      expect(secret.requests).toHaveLength(0);
    });

    it('(control) reaches the same targets when the policy allows them', async () => {
      const { secret, url } = await setUp();
      const dispatcher = agent({ resolve, isAllowed: () => true });
      for (const path of ['/to-name', '/to-literal']) {
        const result = await fetchUrl(`${url}${path}`, { ...base, dispatcher });
        expect(result.notModified === false && new TextDecoder().decode(result.body), path).toBe('secret');
      }
      expect(secret.requests).toHaveLength(2);
    });
  });
});
