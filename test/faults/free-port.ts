import net from 'node:net';
import { readFileSync } from 'node:fs';

/**
 * Ports the kernel hands out by itself (to a listen on port 0, and to every outgoing connection):
 * a port chosen from among them could be taken by one of those between our check and the child's
 * bind, and with scenarios side by side that happened. Ports below the range are never handed out
 * by the kernel, so only another freePort caller could take one, and this process never hands
 * one out twice.
 */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const LOW = 10_000;
const HIGH = ephemeralStart();
// Processes started together (vitest forks) begin at different places.
let next = LOW + ((process.pid * 7919) % (HIGH - LOW));

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port free on 127.0.0.1, below the kernel's ephemeral range, for a server started as a child process. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < HIGH - LOW; tries++) {
    const port = next;
    next = next + 1 >= HIGH ? LOW : next + 1;
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
