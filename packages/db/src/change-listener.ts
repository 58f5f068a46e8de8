import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The channel migration 004 notifies on, with the changed table's name as the payload. */
export const CHANGES_CHANNEL = 'newsfold_changes';

/**
 * What a listener reports: a table that changed (`topics`, `stories`), or `null` when the
 * connection was (re)established or lost. Changes may have been missed while there was no
 * connection, so `null` means "anything may have changed".
 */
export type ChangeEvent = string | null;

export interface ChangeListener {
  /**
   * True while notifications are seen to arrive: LISTEN is active and a probe sent through the
   * pool came back on it (at connect, then at every heartbeat). Only then may a cache trust what
   * it holds: while it is false, read through to the database.
   */
  readonly live: boolean;
  /** Registers a handler; returns a function that removes it. */
  onChange(handler: (event: ChangeEvent) => void): () => void;
  /**
   * Resolves once every notification committed before the call has reached the handlers: a
   * round trip on the listening connection, since Postgres delivers pending notifications before
   * it answers a query. For tests and callers that must read their own out-of-band writes.
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Reports a lost connection or a failed reconnect; the listener keeps retrying. */
  onError?: (error: unknown) => void;
  /** First delay before reconnecting; doubles up to 30 s. */
  retryMs?: number;
  /**
   * A probe this often: a notification sent through the pool that must come back on the
   * listening connection, so a connection that died without a word (a dropped NAT entry, a
   * failover) is noticed and the caches stop trusting it.
   */
  heartbeatMs?: number;
  /**
   * How long a probe may take to come back before the connection counts as lost (10 s). A
   * half-open connection never errors: it just receives nothing, for as long as TCP takes to
   * give up (many minutes). Nor does a LISTEN through a transaction-mode pooler (PgBouncer),
   * which succeeds and then never delivers: the probe at connect finds that out.
   */
  heartbeatTimeoutMs?: number;
}

const MAX_RETRY_MS = 30_000;

/** Payloads of the listeners' own probes (every replica's): never reported as changes. */
const PROBE_PREFIX = 'probe:';

/**
 * LISTENs for newsfold's change notifications on a dedicated connection made with the pool's
 * settings (a pooled client would be recycled under it). Never throws: when Postgres cannot be
 * reached the listener is simply not live, and it keeps reconnecting in the background.
 */
export async function listenForChanges(pool: pg.Pool, options: ListenOptions = {}): Promise<ChangeListener> {
  const handlers = new Set<(event: ChangeEvent) => void>();
  const baseRetryMs = options.retryMs ?? 1_000;
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let retryMs = baseRetryMs;
  let retryTimer: NodeJS.Timeout | undefined;

  // Queries on the listening connection, one after another (pg runs them in turn anyway, and
  // pg@9 refuses a query sent while another is in flight): the tail of the current connection's line.
  let tail: { on: pg.Client; done: Promise<unknown> } | null = null;
  const inTurn = (on: pg.Client, sql: string): Promise<unknown> => {
    const after = tail?.on === on ? tail.done : Promise.resolve();
    const result = after.then(() => on.query(sql));
    tail = { on, done: result.catch(() => undefined) };
    return result;
  };

  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 10_000;
  // Probes in flight, by payload: resolved when their notification arrives.
  const probes = new Map<string, () => void>();

  /**
   * Sends a notification through the pool (another connection, as every writer's) and resolves
   * when it has come back on the listening connection; rejects when that takes over
   * heartbeatTimeoutMs (the send included: a probe must end, and giving up only means reading
   * through until the next connection is proven), or the pool cannot send it.
   */
  const probe = async (): Promise<void> => {
    const payload = `${PROBE_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve) => probes.set(payload, resolve));
    const overdue = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`change notifications did not arrive within ${heartbeatTimeoutMs} ms (a dead connection, or a pooler that does not pass LISTEN)`)),
        heartbeatTimeoutMs,
      );
      timer.unref();
    });
    try {
      await Promise.race([pool.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]).then(() => arrived), overdue]);
    } finally {
      clearTimeout(timer);
      probes.delete(payload);
    }
  };

  const emit = (event: ChangeEvent) => {
    for (const handler of handlers) handler(event);
  };

  const lost = (error: unknown) => {
    if (closed || client === null) return;
    const dead = client;
    client = null;
    live = false;
    emit(null);
    options.onError?.(error);
    dead.removeAllListeners('notification');
    dead.end().catch(() => undefined);
    scheduleConnect();
  };

  const scheduleConnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  const connect = async () => {
    const next = new pg.Client({ ...pool.options, application_name: 'newsfold-listen', keepAlive: true });
    next.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL) return;
      const payload = message.payload ?? null;
      if (payload?.startsWith(PROBE_PREFIX)) probes.get(payload)?.();
      else emit(payload);
    });
    next.on('error', (error) => (client === next ? lost(error) : undefined));
    next.on('end', () => (client === next ? lost(new Error('change listener connection ended')) : undefined));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
      await probe();
    } catch (error) {
      next.end().catch(() => undefined);
      options.onError?.(error);
      scheduleConnect();
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    live = true;
    retryMs = baseRetryMs;
    // Whatever changed while there was no connection went unseen.
    emit(null);
  };

  // The connection with a probe in flight: one at a time per connection.
  let beatingOn: pg.Client | null = null;
  const heartbeat = setInterval(() => {
    const current = client;
    if (!current || beatingOn === current) return;
    beatingOn = current;
    probe()
      .catch((error: unknown) => (client === current ? lost(error) : undefined))
      .finally(() => {
        if (beatingOn === current) beatingOn = null;
      });
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  await connect();

  return {
    get live() {
      return live;
    },
    onChange(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async sync() {
      if (client) await inTurn(client, 'SELECT 1');
    },
    async close() {
      closed = true;
      live = false;
      clearInterval(heartbeat);
      clearTimeout(retryTimer);
      const current = client;
      client = null;
      emit(null);
      handlers.clear();
      await current?.end().catch(() => undefined);
    },
  };
}
