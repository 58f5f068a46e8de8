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
   * True while LISTEN is active. Only then may a cache trust what it holds: while it is false,
   * read through to the database.
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
   * A query on the idle connection this often, so a connection that died without a word (a
   * dropped NAT entry, a failover) is noticed and the caches stop trusting it.
   */
  heartbeatMs?: number;
  /**
   * How long a heartbeat may go unanswered before the connection counts as lost (10 s). A
   * half-open connection never errors: its query just waits, for as long as TCP takes to give up
   * (many minutes), while notifications go missing and the caches would keep trusting them.
   */
  heartbeatTimeoutMs?: number;
}

const MAX_RETRY_MS = 30_000;

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
      if (message.channel === CHANGES_CHANNEL) emit(message.payload ?? null);
    });
    next.on('error', (error) => (client === next ? lost(error) : undefined));
    next.on('end', () => (client === next ? lost(new Error('change listener connection ended')) : undefined));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
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

  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 10_000;
  // The connection with a heartbeat in flight: one at a time per connection (a dead one's may never settle).
  let beatingOn: pg.Client | null = null;
  const heartbeat = setInterval(() => {
    const current = client;
    if (!current || beatingOn === current) return;
    beatingOn = current;
    const overdue = setTimeout(() => {
      if (client === current) lost(new Error(`change listener heartbeat unanswered for ${heartbeatTimeoutMs} ms`));
    }, heartbeatTimeoutMs);
    overdue.unref();
    inTurn(current, 'SELECT 1')
      .catch((error: unknown) => (client === current ? lost(error) : undefined))
      .finally(() => {
        clearTimeout(overdue);
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
