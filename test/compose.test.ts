import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '@newsfold/config';

/**
 * Static checks of the container setup (docker-compose.yml, infra/Dockerfile, infra/redis.conf):
 * they need no container engine, so a broken compose file fails here rather than on a user's
 * machine.
 */

const root = new URL('../', import.meta.url);
const rootDir = fileURLToPath(root);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const exists = (path: string): boolean => existsSync(new URL(path, root));

type Env = Record<string, string | number | boolean | null> | string[];
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface DependsOn {
  condition?: string;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  restart?: string;
  ports?: (string | number | { target?: number; published?: string | number })[];
  environment?: Env;
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, DependsOn>;
  healthcheck?: Healthcheck;
}
interface ComposeFile {
  version?: unknown;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Compose honours YAML merge keys (`<<: *newsfold`); yaml 2 needs them switched on for YAML 1.2.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const services = compose.services;
const APP_SERVICES = ['migrate', 'api', 'poller', 'normalizer'] as const;
const LONG_RUNNING = ['api', 'poller', 'normalizer'] as const;

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

function words(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : value.trim().split(/\s+/);
}

function envOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq === -1 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose interpolation as it resolves with nothing set in the environment: `${X:-d}` → d, `${X}` → "". */
function interpolateDefaults(value: string): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback?: string) => fallback ?? '')
    .replace(/\$\$/g, '$');
}

function dependsOn(s: Service): Record<string, DependsOn> {
  const d = s.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((name) => [name, {}])) : d;
}

function mounts(s: Service): { source: string; target: string; readOnly: boolean }[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = '', mode = ''] = v.split(':');
      return { source, target, readOnly: mode.split(',').includes('ro') };
    }
    return { source: v.source ?? '', target: v.target ?? '', readOnly: v.read_only === true };
  });
}

function healthTest(s: Service): string {
  return words(s.healthcheck?.test).join(' ');
}

function healthDisabled(s: Service): boolean {
  const test = words(s.healthcheck?.test);
  return s.healthcheck?.disable === true || (test.length === 1 && test[0] === 'NONE');
}

/** Directives of a redis.conf, last occurrence wins (as Redis reads it). */
function redisDirectives(text: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [key = '', ...rest] = line.split(/\s+/);
    directives.set(key.toLowerCase(), rest.join(' '));
  }
  return directives;
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (pending !== '' && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    if (full === '') continue;
    const match = /^(\S+)\s*(.*)$/.exec(full);
    if (match) out.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '' });
  }
  return out;
}

function finalStage(instructions: Instruction[]): Instruction[] {
  let start = -1;
  instructions.forEach((ins, i) => {
    if (ins.keyword === 'FROM') start = i;
  });
  return start === -1 ? [] : instructions.slice(start);
}

describe('docker-compose.yml', () => {
  it('has the six services and no obsolete version key', () => {
    expect(compose.version).toBeUndefined();
    for (const name of ['postgres', 'redis', ...APP_SERVICES]) expect(services, name).toHaveProperty(name);
  });

  it('runs Postgres 17 with a named volume, the newsfold database and a pg_isready healthcheck', () => {
    const pg = service('postgres');
    expect(pg.image).toMatch(/^postgres:17(?:$|[.-])/);
    const env = envOf(pg);
    expect(env.POSTGRES_USER).toBe('newsfold');
    expect(env.POSTGRES_DB).toBe('newsfold');
    expect(env.POSTGRES_PASSWORD).toBeTruthy();
    const data = mounts(pg).find((m) => m.target === '/var/lib/postgresql/data');
    expect(data, 'a volume on /var/lib/postgresql/data').toBeDefined();
    expect(compose.volumes ?? {}, 'declared as a named volume').toHaveProperty(data?.source ?? '');
    const test = healthTest(pg);
    expect(test).toContain('pg_isready');
    expect(test).toMatch(/-U\s+newsfold/);
    expect(test).toMatch(/-d\s+newsfold/);
  });

  it('runs Redis 7 with infra/redis.conf mounted read-only, a data volume and a ping healthcheck', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7(?:$|[.-])/);
    const confPath = '/usr/local/etc/redis/redis.conf';
    expect(words(redis.command)).toEqual(['redis-server', confPath]);
    const conf = mounts(redis).find((m) => m.target === confPath);
    expect(conf, `infra/redis.conf mounted at ${confPath}`).toBeDefined();
    expect(conf?.source.replace(/^\.\//, '')).toBe('infra/redis.conf');
    expect(conf?.readOnly).toBe(true);
    const data = mounts(redis).find((m) => m.target === '/data');
    expect(compose.volumes ?? {}, 'redis /data is a named volume').toHaveProperty(data?.source ?? '(none)');
    expect(healthTest(redis)).toContain('redis-cli ping');
  });

  it('migrate runs `migrate` once, after Postgres is healthy', () => {
    const migrate = service('migrate');
    expect(words(migrate.command)).toEqual(['migrate']);
    expect(migrate.restart).toBe('no');
    expect(dependsOn(migrate).postgres?.condition).toBe('service_healthy');
  });

  it.each(LONG_RUNNING)('%s waits for migrations and healthy Postgres and Redis, and restarts', (name) => {
    const s = service(name);
    expect(words(s.command)).toEqual([name]);
    const deps = dependsOn(s);
    expect(deps.migrate?.condition).toBe('service_completed_successfully');
    expect(deps.postgres?.condition).toBe('service_healthy');
    expect(deps.redis?.condition).toBe('service_healthy');
    expect(s.restart).toBe('unless-stopped');
  });

  it('sets restart policies on the data services', () => {
    for (const name of ['postgres', 'redis']) expect(service(name).restart, name).toMatch(/^(unless-stopped|always)$/);
  });

  it('builds every app service from one image and infra/Dockerfile', () => {
    const first = service('migrate');
    expect(first.image).toBeTruthy();
    expect(first.build).toBeTruthy();
    for (const name of APP_SERVICES) {
      expect(service(name).image, name).toBe(first.image);
      expect(service(name).build, name).toEqual(first.build);
    }
    const build = typeof first.build === 'string' ? { context: first.build } : (first.build ?? {});
    const context = new URL(`${(build.context ?? '.').replace(/\/?$/, '/')}`, root);
    expect(fileURLToPath(context).replace(/\/$/, '')).toBe(rootDir.replace(/\/$/, ''));
    const dockerfile = new URL(build.dockerfile ?? 'Dockerfile', context);
    expect(existsSync(dockerfile), fileURLToPath(dockerfile)).toBe(true);
    expect(statSync(dockerfile).isFile()).toBe(true);
  });

  it('publishes the API on 8080 and health-checks /healthz; workers health-check /readyz on HEALTH_PORT', () => {
    const api = service('api');
    const ports = (api.ports ?? []).map((p) => (typeof p === 'object' ? `${p.published}:${p.target}` : String(p)));
    expect(ports).toContain('8080:8080');
    expect(healthTest(api)).toContain('/healthz');
    expect(healthDisabled(api)).toBe(false);
    expect(healthDisabled(service('migrate'))).toBe(true);
    for (const name of ['poller', 'normalizer']) {
      const port = envOf(service(name)).HEALTH_PORT;
      expect(port, `${name} sets HEALTH_PORT`).toMatch(/^\d+$/);
      expect(healthDisabled(service(name)), name).toBe(false);
      expect(healthTest(service(name)), name).toContain(`http://127.0.0.1:${port}/readyz`);
    }
    for (const name of ['postgres', 'redis', 'migrate', 'poller', 'normalizer']) {
      expect(service(name).ports ?? [], `${name} publishes no port`).toEqual([]);
    }
  });

  it('sets only configuration variables newsfold knows, pointing at the compose services', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const name of APP_SERVICES) {
      const env = envOf(service(name));
      for (const key of Object.keys(env)) expect(known, `${name} sets unknown variable ${key}`).toContain(key);
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolateDefaults(v)]));
      expect(new URL(resolved.DATABASE_URL ?? '').host).toBe('postgres:5432');
      expect(new URL(resolved.DATABASE_URL ?? '').pathname).toBe('/newsfold');
      expect(new URL(resolved.REDIS_URL ?? '').host).toBe('redis:6379');
      // With nothing set by the user, the defaults must pass newsfold's own validation.
      expect(() => loadConfig(resolved)).not.toThrow();
    }
    // The app's database password is the one Postgres is initialised with.
    const password = (url: string): string => /^postgres:\/\/[^:]+:(.*)@postgres:/.exec(url)?.[1] ?? '(none)';
    expect(password(envOf(service('api')).DATABASE_URL ?? '')).toBe(envOf(service('postgres')).POSTGRES_PASSWORD);
  });

  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  it.skipIf(composeCli.error !== undefined || composeCli.status !== 0)('is valid for `docker compose config`', () => {
    const result = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: rootDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('infra/redis.conf', () => {
  const directives = redisDirectives(read('infra/redis.conf'));

  it('persists with an append-only file fsynced every second', () => {
    expect(directives.get('appendonly')).toBe('yes');
    expect(directives.get('appendfsync')).toBe('everysec');
  });

  it('never evicts keys (BullMQ requires noeviction)', () => {
    expect(directives.get('maxmemory-policy')).toBe('noeviction');
  });

  it('accepts peers on the compose network and keeps data in /data', () => {
    expect(directives.get('protected-mode')).toBe('no');
    expect(directives.get('bind')).toBeDefined();
    expect(directives.get('dir')).toBe('/data');
  });
});

describe('infra/Dockerfile', () => {
  const instructions = dockerfileInstructions(read('infra/Dockerfile'));
  const last = finalStage(instructions);
  const one = (keyword: string): string | undefined => last.filter((i) => i.keyword === keyword).at(-1)?.args;

  it('builds every stage on node:24-slim', () => {
    const froms = instructions.filter((i) => i.keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:24-slim(\s+AS\s+\S+)?$/i);
  });

  it('installs the pnpm version package.json pins', () => {
    const pinned = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager;
    const version = pinned.replace(/^pnpm@/, '').replace(/\+.*$/, '');
    expect(read('infra/Dockerfile')).toContain(`PNPM_VERSION=${version}`);
  });

  it('runs as a non-root user in production mode from /app', () => {
    const user = one('USER');
    expect(user, 'final stage sets USER').toBeDefined();
    const name = (user ?? '').split(':')[0];
    expect(name).not.toMatch(/^(root|0)$/);
    expect(one('WORKDIR')).toBe('/app');
    expect(last.some((i) => i.keyword === 'ENV' && /NODE_ENV[= ]production/.test(i.args))).toBe(true);
  });

  it('starts the CLI, defaults to `all`, exposes 8080 and health-checks /healthz', () => {
    const entrypoint = JSON.parse(one('ENTRYPOINT') ?? 'null') as string[] | null;
    expect(entrypoint).toEqual(['node', '--max-semi-space-size=64', 'services/cli/dist/main.js']);
    expect(JSON.parse(one('CMD') ?? 'null')).toEqual(['all']);
    expect(one('EXPOSE')).toBe('8080');
    expect(one('HEALTHCHECK')).toContain('/healthz');
  });

  it('ships the runtime files the code reads from infra/', () => {
    for (const path of ['infra/migrations/', 'infra/starter.opml', 'infra/demo/']) expect(exists(path), path).toBe(true);
    // The builder stages infra/ into /out, and the runtime stage copies /out.
    const builderRuns = instructions.filter((i) => i.keyword === 'RUN' && !last.includes(i)).map((i) => i.args);
    expect(builderRuns.some((run) => /\bcp -a\b[^;]*\binfra\b[^;]*\/out\//.test(run))).toBe(true);
    expect(last.some((i) => i.keyword === 'COPY' && /--from=\S+\s+\/out\/?\s/.test(`${i.args} `))).toBe(true);
    // .dockerignore patterns (Go filepath.Match, with **) must not exclude what the build needs.
    const lines = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '**/dist']));
    const excluded = (path: string) => {
      let out = false;
      for (const line of lines) {
        const negated = line.startsWith('!');
        const pattern = (negated ? line.slice(1) : line).replace(/\/+$/, '');
        const source = pattern
          .split('**')
          .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('.*');
        if (new RegExp(`^${source}(?:/.*)?$`).test(path)) out = !negated;
      }
      return out;
    };
    expect(excluded('packages/db/node_modules/pg'), 'sanity: node_modules is excluded').toBe(true);
    for (const needed of ['infra/migrations/001_initial.sql', 'infra/starter.opml', 'infra/demo/feeds/dailyglobe.rss.xml', 'pnpm-lock.yaml', 'services/cli/src/main.ts', 'packages/db/package.json', 'test/package.json']) {
      expect(excluded(needed), `.dockerignore must not exclude ${needed}`).toBe(false);
    }
  });
});
