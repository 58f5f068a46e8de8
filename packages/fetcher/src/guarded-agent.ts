import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { isPublicAddress } from './address-policy.js';
import { FetchError } from './fetch-error.js';

/** Resolves a host name to every address it has (the default is the system resolver). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;
/** Decides whether an address may be connected to (the default is `isPublicAddress`). */
export type AddressPolicy = (address: string) => boolean;

export interface GuardOptions {
  resolve?: Resolver;
  isAllowed?: AddressPolicy;
}

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

function blockedError(hostname: string, address: string): FetchError {
  const subject = hostname === address ? address : `${hostname} resolves to ${address}, which`;
  return new FetchError(
    'blocked_address',
    `${subject} is a private or reserved address (set FETCH_ALLOW_PRIVATE_NETWORKS=true to allow)`,
  );
}

/**
 * A `lookup` for net.connect/tls.connect that resolves the name once, refuses the whole answer
 * if any address in it is not allowed, and hands the socket only addresses it has checked. The
 * socket connects to what this returns, so the address checked is the address connected to:
 * there is no second resolution for a rebinding DNS server to answer differently.
 */
export function createGuardedLookup(options: GuardOptions = {}): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  const isAllowed = options.isAllowed ?? isPublicAddress;
  return (hostname, lookupOptions, callback) => {
    const all = (lookupOptions as { all?: boolean }).all === true;
    const family = (lookupOptions as { family?: number | string }).family;
    const cb = callback as (...args: unknown[]) => void;
    resolve(hostname).then(
      (answer) => {
        const wanted = answer.filter((a) => !family || family === a.family || family === `IPv${a.family}`);
        const addresses = wanted.length > 0 ? wanted : answer;
        const bad = addresses.find((a) => !isAllowed(a.address));
        const first = addresses[0];
        if (bad) cb(blockedError(hostname, bad.address));
        else if (!first) cb(new FetchError('dns_error', `${hostname} has no addresses`));
        else if (all) cb(null, addresses.map((a) => ({ address: a.address, family: a.family })));
        else cb(null, first.address, first.family);
      },
      (error: unknown) => cb(new FetchError('dns_error', `cannot resolve ${hostname}`, { cause: error })),
    );
  };
}

/**
 * An undici connector that refuses IP-literal hosts outside the policy (net.connect does not call
 * `lookup` for those) and resolves names only through the guarded lookup.
 */
export function createGuardedConnector(options: GuardOptions = {}): buildConnector.connector {
  const isAllowed = options.isAllowed ?? isPublicAddress;
  const connect = buildConnector({ lookup: createGuardedLookup(options), timeout: 10_000 });
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isAllowed(host)) {
      callback(blockedError(host, host), null);
      return;
    }
    connect(connectOptions, callback);
  };
}

const agentLimits = {
  connections: 4,
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  maxHeaderSize: 64 * 1024,
} as const;

/** An agent that connects only to addresses the policy allows (public ones by default). */
export function createGuardedAgent(options: GuardOptions = {}): Agent {
  return new Agent({ ...agentLimits, connect: createGuardedConnector(options) });
}

const agents: { guarded?: Agent; open?: Agent } = {};

/** The shared agent for a setting: guarded, or plain when private networks are allowed. */
export function agentFor(allowPrivateNetworks: boolean): Agent {
  if (allowPrivateNetworks) return (agents.open ??= new Agent({ ...agentLimits, connect: { timeout: 10_000 } }));
  return (agents.guarded ??= createGuardedAgent());
}

/** Closes the shared agents' connections (for shutdown and tests); later fetches open new ones. */
export async function closeFetcher(): Promise<void> {
  const open = [agents.guarded, agents.open].filter((a): a is Agent => a !== undefined);
  agents.guarded = undefined;
  agents.open = undefined;
  await Promise.all(open.map((a) => a.close()));
}
