import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

// Failures that mean "Postgres is not up yet" (compose starting everything at once), as opposed
// to a wrong password or a missing database, which no amount of waiting fixes.
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', '57P03']);

/** Connects a client, retrying transient failures with a growing pause until the deadline. */
export async function connectWithRetry(config: pg.ClientConfig, options: { timeoutMs?: number } = {}): Promise<pg.Client> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client(config);
    try {
      await client.connect();
      // A connection that dies later fails the query in flight, which the caller sees; unheard,
      // the client's 'error' event would end the process instead.
      client.on('error', () => undefined);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code ?? '';
      if (!TRANSIENT.has(code) || Date.now() > deadline) throw error;
      await sleep(Math.min(2_000, 100 * 2 ** attempt));
    }
  }
}
