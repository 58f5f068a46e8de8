import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { readTopicStories, type StoryWithSources } from '@newsfold/db';
import { renderTopicFeed, TOPIC_FEED_CONTENT_TYPES, type RenderStory, type TopicFeedFormat } from '@newsfold/render';
import { BodyCache } from '../body-cache.js';
import type { ApiDeps } from '../deps.js';
import { notModified, notModifiedResponse, weakEtag } from '../conditional-get.js';
import { HttpError } from '../http-error.js';
import type { ReadLimiter } from '../read-limiter.js';
import type { TopicState } from '../topic-state.js';
import { sendCached } from '../send-cached.js';
import { parseQuery } from '../validate.js';

const DEFAULT_LIMIT = 50;

const feedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(DEFAULT_LIMIT),
  min_sources: z.coerce.number().int().min(1).max(1000).optional(),
});

const FILES: Record<string, TopicFeedFormat> = { 'rss.xml': 'rss', 'atom.xml': 'atom', 'feed.json': 'json' };
const MAX_AGE_S = 60;
export function toRenderStory(story: StoryWithSources): RenderStory {
  return {
    id: story.id,
    title: story.title,
    summary: story.summary,
    firstSeenAt: story.firstSeenAt,
    updatedAt: story.updatedAt,
    sources: story.sources.map((s) => ({ outlet: s.outlet, title: s.title, url: s.url, publishedAt: s.publishedAt ?? s.eventAt })),
  };
}

/**
 * Topic feeds. Conditional GET is answered before any story is read: the validator comes from
 * the topic row (its definition and its content revision, which moves only when one of its own
 * stories joins, leaves or changes: topic-membership.ts in @newsfold/db). `all`, and a topic whose
 * membership is being recomputed, also follow the latest story revision. Both are held in memory
 * while Postgres' change notifications keep them current (topic-state.ts), so a reader polling an
 * unchanged feed costs no query at all; without them, one primary-key lookup. Stories are then read
 * through the topic's membership rows, never by filtering every story.
 */
export function topicFeedRoutes(deps: ApiDeps, state: TopicState, reads: ReadLimiter): Hono {
  const app = new Hono();
  const rendered = new BodyCache();
  for (const [file, format] of Object.entries(FILES)) {
    app.get(`/topics/:slug/${file}`, (c) => serveTopicFeed(c, deps, state, format, rendered, reads));
  }
  return app;
}

async function serveTopicFeed(c: Context, deps: ApiDeps, state: TopicState, format: TopicFeedFormat, rendered: BodyCache, reads: ReadLimiter) {
  const params = parseQuery(c, feedQuery);
  const slug = c.req.param('slug') ?? '';
  const topic = await state.topic(slug);
  if (!topic) throw new HttpError(404, 'topic_not_found', `no topic "${slug}"`);
  const minSources = params.min_sources ?? topic.minSources;
  const { revision, lastChange } = await state.validator(topic, minSources);
  const etag = weakEtag([format, slug, revision, params.limit, minSources].join('|'));
  c.header('ETag', etag);
  c.header('Cache-Control', `public, max-age=${MAX_AGE_S}`);
  c.header('Vary', 'Accept-Encoding');
  if (notModified(c, etag, lastChange)) return notModifiedResponse(c, TOPIC_FEED_CONTENT_TYPES[format]);

  return sendCached(c, rendered, etag, async () => {
    const page = await readTopicStories(deps.pool, topic, { limit: params.limit, minSources });
    return renderTopicFeed(format, {
      topic: { slug: topic.slug, title: topic.title, description: topic.description },
      stories: page.map(toRenderStory),
      publicUrl: deps.config.publicUrl,
      ttlMinutes: Math.max(1, Math.round(deps.config.poll.minIntervalMs / 60_000)),
      updatedAt: lastChange,
      // What differs from the plain feed URL's answer (both are in the ETag above).
      feedQuery: {
        ...(params.limit !== DEFAULT_LIMIT ? { limit: params.limit } : {}),
        ...(minSources !== topic.minSources ? { minSources } : {}),
      },
    });
  }, TOPIC_FEED_CONTENT_TYPES[format], () => reads.admit(c));
}
