import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { assignArticle, createStory, ensureOutlet, insertFeed, listenForChanges, refreshStories, upsertArticles, type Pool, type Queryable } from '@newsfold/db';
import { withStoryWrite } from '@newsfold/stories';
import { createLogger, type Logger } from '@newsfold/logging';
import { createQueues, createRedis, type Queues } from '@newsfold/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@newsfold/testing';
import { createApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { createTopicRecomputer } from '../topic-recompute.js';

/**
 * The API against a real, freshly migrated Postgres database and a real Redis (under a prefix of
 * its own), answering in process through Hono's `app.request`. Nothing is mocked. The app holds
 * validators in memory as in production (a live change listener); tests write to the database
 * directly, so every request first waits until the notifications of earlier writes have arrived,
 * as they would have by the time a real client's next request comes.
 */
export interface Harness {
  db: TestDatabase;
  redis: TestRedis;
  connection: Redis;
  queues: Queues;
  deps: ApiDeps;
  app: Hono;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A request with `Authorization: Bearer <token>` and a JSON content type. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export const ADMIN_TOKEN = 'api-test-admin-token-0123456789';
export const PUBLIC_URL = 'https://news.example.org';

export async function createHarness(options: { adminToken?: string | null; log?: Logger } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const redis = createTestRedis();
  const connection = createRedis(redis.url);
  const queues = createQueues(connection, redis.prefix);
  const log = options.log ?? createLogger({ level: 'silent' });
  const deps: ApiDeps = {
    config: {
      publicUrl: PUBLIC_URL,
      adminToken: options.adminToken === null ? undefined : (options.adminToken ?? ADMIN_TOKEN),
      poll: { minIntervalMs: 300_000, maxIntervalMs: 86_400_000 },
      apiReadRate: 0,
      apiTrustProxy: 0,
    },
    pool: db.pool,
    queues,
    redis: connection,
    log,
    recomputer: createTopicRecomputer(db.pool, log),
    changes: await listenForChanges(db.pool),
  };
  const app = createApp(deps);
  const request = async (path: string, init?: RequestInit) => {
    await deps.changes?.sync();
    return app.request(path, init);
  };
  return {
    db,
    redis,
    connection,
    queues,
    deps,
    app,
    request,
    admin: (path, init = {}) =>
      request(path, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers },
      }),
    close: async () => {
      await deps.recomputer.stop();
      await deps.changes?.close();
      await queues.close();
      connection.disconnect();
      await redis.cleanup();
      await db.drop();
    },
  };
}

export interface ErrorJson {
  error: { code: string; message: string };
}

/** Asserts nothing itself: returns the parsed body so the caller's expectations name what failed. */
export async function errorOf(res: Response): Promise<ErrorJson & Record<string, unknown>> {
  return (await res.json()) as ErrorJson & Record<string, unknown>;
}

export async function seedFeed(db: Queryable, url: string, tags: string[] = []): Promise<string> {
  const { feed } = await insertFeed(db, { url, tags });
  return feed.id;
}

export async function seedOutlet(db: Queryable, name: string): Promise<string> {
  const siteKey = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`;
  return ensureOutlet(db, { siteKey, name, siteUrl: `https://${siteKey}/` });
}

export interface SeedArticle {
  feedId: string;
  outletId: string;
  title: string;
  publishedAt: Date;
  summary?: string | null;
  url?: string | null;
  guid?: string;
  /** When newsfold first saw it (default: publishedAt). */
  seenAt?: Date;
}

let articleSeq = 0;

export async function seedArticle(db: Queryable, a: SeedArticle): Promise<string> {
  articleSeq += 1;
  const guid = a.guid ?? `guid-${articleSeq}-${Math.random().toString(36).slice(2)}`;
  const url = a.url === undefined ? `https://outlet.example/${encodeURIComponent(guid)}` : a.url;
  // Seen as soon as published, as a promptly polled feed is (a.seenAt for one seen later).
  const [row] = await upsertArticles(db, { feedId: a.feedId, outletId: a.outletId, seenAt: a.seenAt ?? a.publishedAt }, [
    {
      guid,
      url,
      title: a.title,
      titleKey: a.title.toLowerCase(),
      summary: a.summary ?? null,
      contentHtml: null,
      author: null,
      publishedAt: a.publishedAt,
      contentHash: createHash('sha1').update(`${guid}|${a.title}|${a.summary ?? ''}`).digest('hex'),
    },
  ]);
  if (!row) throw new Error(`article ${guid} was not stored`);
  return row.id;
}

/** A story made of these articles (the first leads it), with its derived fields recomputed. */
export async function seedStory(db: Pool, articles: SeedArticle[]): Promise<{ storyId: string; articleIds: string[] }> {
  const [lead, ...rest] = articles;
  if (!lead) throw new Error('a story needs an article');
  const leadId = await seedArticle(db, lead);
  const storyId = await withStoryWrite(db, async (tx) => {
    const id = await createStory(tx, { articleId: leadId, title: lead.title, eventAt: lead.publishedAt });
    await assignArticle(tx, leadId, { storyId: id, score: 1, reason: 'new story' });
    await refreshStories(tx, [id]);
    return id;
  });
  const articleIds = [leadId];
  for (const article of rest) articleIds.push(await addToStory(db, storyId, article, { score: 0.8, reason: 'similar title' }));
  return { storyId, articleIds };
}

/** A new article joining an existing story. */
export async function addToStory(
  db: Pool,
  storyId: string,
  article: SeedArticle,
  match: { score: number; reason: string } = { score: 0.9, reason: 'same title' },
): Promise<string> {
  const id = await seedArticle(db, article);
  await withStoryWrite(db, async (tx) => {
    await assignArticle(tx, id, { storyId, ...match });
    await refreshStories(tx, [storyId]);
  });
  return id;
}

export const minutesAgo = (n: number, from = Date.now()) => new Date(Math.floor(from / 1000) * 1000 - n * 60_000);
