import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { getTopic, readTopicStories, topicRevision, type StoryWithSources, type TopicRow } from '@newsfold/db';
import { renderTopicFeed, TOPIC_FEED_CONTENT_TYPES, type RenderStory, type TopicFeedFormat } from '@newsfold/render';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { parseQuery } from '../validate.js';

const feedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  min_sources: z.coerce.number().int().min(1).max(1000).optional(),
});

const FILES: Record<string, TopicFeedFormat> = { 'rss.xml': 'rss', 'atom.xml': 'atom', 'feed.json': 'json' };
const MAX_AGE_S = 60;
/** Bytes of rendered feed bodies kept per app. */
const BODY_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Rendered topic feeds by ETag. An ETag names one representation exactly (format, topic, the
 * topic's content revision, limit, min_sources; the public URL and TTL are the app's constants),
 * so the body rendered for it is the body for every request that computes the same ETag, until
 * the topic changes and the ETag with it. A feed is polled by every reader subscribed to it:
 * this turns all but the first 200 after each change into one lookup, with no story read and no
 * rendering. Least recently used bodies go first past the size budget; concurrent misses for
 * one ETag share one read and render. Never stale beyond what the ETag (and so a 304) already
 * asserts. Bodies are kept UTF-8 encoded, so a hit is not re-encoded either.
 */
export class RenderedFeedCache {
  readonly #bodies = new Map<string, Uint8Array<ArrayBuffer>>();
  readonly #pending = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  #bytes = 0;
  constructor(private readonly budgetBytes: number = BODY_CACHE_BYTES) {}

  async get(etag: string, render: () => Promise<string>): Promise<Uint8Array<ArrayBuffer>> {
    const cached = this.#bodies.get(etag);
    if (cached !== undefined) {
      // Most recently used last.
      this.#bodies.delete(etag);
      this.#bodies.set(etag, cached);
      return cached;
    }
    const pending = this.#pending.get(etag);
    if (pending) return pending;
    const rendering = render().then((text) => {
      const body = Buffer.from(text, 'utf8');
      this.#store(etag, body);
      return body;
    });
    this.#pending.set(etag, rendering);
    try {
      return await rendering;
    } finally {
      this.#pending.delete(etag);
    }
  }

  get size(): number {
    return this.#bodies.size;
  }

  #store(etag: string, body: Uint8Array<ArrayBuffer>): void {
    if (body.byteLength > this.budgetBytes / 4) return;
    this.#bodies.set(etag, body);
    this.#bytes += body.byteLength;
    for (const [key, value] of this.#bodies) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#bodies.delete(key);
      this.#bytes -= value.byteLength;
    }
  }
}

export function toRenderStory(story: StoryWithSources): RenderStory {
  return {
    id: story.id,
    title: story.title,
    summary: story.summary,
    firstSeenAt: story.firstSeenAt,
    updatedAt: story.updatedAt,
    sources: story.sources
      .filter((s) => s.url !== null)
      .map((s) => ({ outlet: s.outlet, title: s.title, url: s.url ?? '', publishedAt: s.publishedAt ?? s.eventAt })),
  };
}

/**
 * Topic feeds. Conditional GET is answered before any story is read: the validator comes from
 * the topic row (its definition and its content revision, which moves only when one of its own
 * stories joins, leaves or changes: topic-membership.ts in @newsfold/db), so a reader polling an
 * unchanged feed costs one primary-key lookup. `all`, and a topic whose membership is being
 * recomputed, also follow the latest story revision (one index lookup). Stories are then read
 * through the topic's membership rows, never by filtering every story.
 */
export function topicFeedRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const rendered = new RenderedFeedCache();
  for (const [file, format] of Object.entries(FILES)) {
    app.get(`/topics/:slug/${file}`, (c) => serveTopicFeed(c, deps, format, rendered));
  }
  return app;
}

async function serveTopicFeed(c: Context, deps: ApiDeps, format: TopicFeedFormat, rendered: RenderedFeedCache) {
  const params = parseQuery(c, feedQuery);
  const slug = c.req.param('slug') ?? '';
  const topic = await getTopic(deps.pool, slug);
  if (!topic) throw new HttpError(404, 'topic_not_found', `no topic "${slug}"`);
  const minSources = params.min_sources ?? topic.minSources;
  const { revision, lastChange } = await topicRevision(deps.pool, topic, minSources);
  lastChange.setMilliseconds(0);
  const etag = `W/"${createHash('sha1').update([format, slug, revision, params.limit, minSources].join('|')).digest('base64url')}"`;
  c.header('ETag', etag);
  c.header('Last-Modified', lastChange.toUTCString());
  c.header('Cache-Control', `public, max-age=${MAX_AGE_S}`);
  c.header('Vary', 'Accept-Encoding');
  if (notModified(c, etag, lastChange)) return c.body(null, 304);

  const body = await rendered.get(etag, async () => {
    const page = await readTopicStories(deps.pool, topic, { limit: params.limit, minSources });
    return renderTopicFeed(format, {
      topic: { slug: topic.slug, title: topic.title, description: topic.description },
      stories: page.map(toRenderStory),
      publicUrl: deps.config.publicUrl,
      ttlMinutes: Math.max(1, Math.round(deps.config.poll.minIntervalMs / 60_000)),
      updatedAt: lastChange,
    });
  });
  return c.body(body, 200, { 'Content-Type': TOPIC_FEED_CONTENT_TYPES[format] });
}

function notModified(c: Context, etag: string, lastChange: Date): boolean {
  const ifNoneMatch = c.req.header('if-none-match');
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  if (ifNoneMatch !== undefined) {
    const strip = (t: string) => t.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
  }
  const since = Date.parse(c.req.header('if-modified-since') ?? '');
  return !Number.isNaN(since) && lastChange.getTime() <= since;
}
