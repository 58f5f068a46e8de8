import net from 'node:net';

export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
  /** Stops containers started for this run, if any. */
  stop(): Promise<void>;
}

const LOCAL_DATABASE = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

/**
 * Finds the Postgres and Redis the tests run against: TEST_DATABASE_URL / TEST_REDIS_URL when set;
 * otherwise containers, when a container runtime answers; otherwise the conventional local
 * services, when they are listening. Tests never mock them.
 */
export async function resolveTestServices(env: Record<string, string | undefined> = process.env): Promise<TestServices> {
  let databaseUrl = env.TEST_DATABASE_URL || undefined;
  let redisUrl = env.TEST_REDIS_URL || undefined;
  const stops: (() => Promise<unknown>)[] = [];
  if ((!databaseUrl || !redisUrl) && (await containerRuntimeAvailable())) {
    const { GenericContainer, Wait } = await import('testcontainers');
    if (!databaseUrl) {
      const pg = await new GenericContainer('postgres:17-alpine')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
      stops.push(() => pg.stop());
      databaseUrl = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
    }
    if (!redisUrl) {
      const redis = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
      stops.push(() => redis.stop());
      redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
    }
  }
  if (!databaseUrl && (await listening(5432))) databaseUrl = LOCAL_DATABASE;
  if (!redisUrl && (await listening(6379))) redisUrl = LOCAL_REDIS;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      'tests need PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL, run a container runtime ' +
        'for testcontainers, or run them locally on 127.0.0.1:5432 (user postgres, trust auth) and 127.0.0.1:6379',
    );
  }
  return {
    databaseUrl,
    redisUrl,
    stop: async () => {
      await Promise.all(stops.map((s) => s()));
    },
  };
}

async function containerRuntimeAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
