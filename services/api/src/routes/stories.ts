import { Hono } from 'hono';
import { z } from 'zod';
import { getStory, listTopics, readTopicStories, storyAlias, type StoryWithSources, type TopicRow } from '@newsfold/db';
import { baseUrl, topicFeedUrl } from '@newsfold/render';
import { isHttpUrl } from '@newsfold/text';
import { BodyCache } from '../body-cache.js';
import { notModified, notModifiedResponse, weakEtag } from '../conditional-get.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import type { ReadLimiter } from '../read-limiter.js';
import type { TopicState } from '../topic-state.js';
import { sendCached } from '../send-cached.js';
import { isoDate, parseQuery } from '../validate.js';

const storiesQuery = z.object({
  topic: z.string().min(1).max(63).optional(),
  q: z.string().trim().min(1).max(500).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  min_sources: z.coerce.number().int().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** A story as the API returns it; `withMatch` adds why each source joined (the single-story view). */
export function storyJson(story: StoryWithSources, withMatch: boolean) {
  return {
    id: story.id,
    title: story.title,
    summary: story.summary,
    firstSeenAt: story.firstSeenAt.toISOString(),
    updatedAt: story.updatedAt.toISOString(),
    sourceCount: story.sourceCount,
    sources: story.sources.map((s) => ({
      outlet: s.outlet,
      feedId: s.feedId,
      title: s.title,
      // Stored links are checked as they arrive; checked again on the way out all the same.
      url: s.url !== null && isHttpUrl(s.url) ? s.url : null,
      publishedAt: s.publishedAt?.toISOString() ?? null,
      ...(withMatch ? { articleId: s.articleId, match: { score: s.matchScore, reason: s.matchReason } } : {}),
    })),
  };
}

/** A topic as the API returns it (GET /api/v1/topics items, PUT /api/v1/topics/{slug}). */
export function topicJson(t: TopicRow, publicUrl: string) {
  const base = baseUrl(publicUrl);
  return {
    slug: t.slug,
    title: t.title,
    description: t.description,
    query: t.query,
    tags: t.tags,
    minSources: t.minSources,
    feeds: {
      rss: topicFeedUrl(base, t.slug, 'rss'),
      atom: topicFeedUrl(base, t.slug, 'atom'),
      json: topicFeedUrl(base, t.slug, 'json'),
    },
  };
}

/**
 * Story queries are answered like topic feeds: the revision of what the query reads (the topic's
 * validator, or the latest story revision without a topic; in memory while change notifications
 * are live, see topic-state.ts) and the normalised query make a key; it is the response's ETag
 * (a client that has it gets a 304) and names the JSON kept in a body cache. A client paging or
 * polling the same query reads the stories once per change.
 */
export function storyRoutes(deps: ApiDeps, state: TopicState, reads: ReadLimiter): Hono {
  const app = new Hono();
  const responses = new BodyCache();

  app.get('/api/v1/topics', async (c) => {
    const topics = await listTopics(deps.pool);
    return c.json({ topics: topics.map((t) => topicJson(t, deps.config.publicUrl)) });
  });

  app.get('/api/v1/topics/:slug', async (c) => {
    // Held in memory while change notifications are live, as the topic feeds read it.
    const topic = await state.topic(c.req.param('slug'));
    if (!topic) throw new HttpError(404, 'topic_not_found', `no topic "${c.req.param('slug').slice(0, 100)}"`);
    return c.json(topicJson(topic, deps.config.publicUrl));
  });

  app.get('/api/v1/stories', async (c) => {
    const q = parseQuery(c, storiesQuery);
    const page = {
      limit: q.limit,
      since: q.since ?? null,
      until: q.until ?? null,
      after: q.cursor ? decodeCursor(q.cursor) : null,
    };
    // No topic is every story: the built-in topic `all` (migration 001; it cannot be deleted).
    const slug = q.topic ?? 'all';
    const topic = await state.topic(slug);
    if (!topic) throw new HttpError(404, 'topic_not_found', `no topic "${slug}"`);
    const { revision } = await state.validator(topic, q.min_sources ?? topic.minSources);
    const key = JSON.stringify([revision, slug, q.q ?? null, q.min_sources ?? null, page]);
    const etag = weakEtag(key);
    c.header('ETag', etag);
    c.header('Vary', 'Accept-Encoding');
    if (notModified(c, etag)) return notModifiedResponse(c, 'application/json');

    return sendCached(c, responses, key, async () => {
      // Through the topic's membership rows (every story for `all`); the topic's minimum by default.
      const stories = await readTopicStories(deps.pool, topic, { ...page, query: q.q ?? null, ...(q.min_sources ? { minSources: q.min_sources } : {}) });
      const last = stories.at(-1);
      return JSON.stringify({
        stories: stories.map((s) => storyJson(s, false)),
        nextCursor: last && stories.length === q.limit ? encodeCursor({ updatedAt: last.updatedAt, id: last.id }) : null,
      });
    }, 'application/json', () => reads.admit(c));
  });

  app.get('/api/v1/stories/:id', async (c) => {
    const story = await getStory(deps.pool, c.req.param('id'));
    if (!story) {
      // A story merged into another: its id leads there for good.
      const into = await storyAlias(deps.pool, c.req.param('id'));
      if (into) return c.redirect(`${baseUrl(deps.config.publicUrl)}/api/v1/stories/${into}`, 301);
      throw new HttpError(404, 'story_not_found', `no story ${c.req.param('id')}`);
    }
    return c.json(storyJson(story, true));
  });

  return app;
}
