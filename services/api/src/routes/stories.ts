import { Hono } from 'hono';
import { z } from 'zod';
import { getStory, getTopic, listStories, listTopics, type StoryWithSources } from '@newsfold/db';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { parseQuery } from '../validate.js';
import { topicFilter } from './topic-feeds.js';

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date')
  .transform((s) => new Date(s));

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
      url: s.url,
      publishedAt: s.publishedAt?.toISOString() ?? null,
      ...(withMatch ? { articleId: s.articleId, match: { score: s.matchScore, reason: s.matchReason } } : {}),
    })),
  };
}

export function storyRoutes(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/api/v1/topics', async (c) => {
    const topics = await listTopics(deps.pool);
    const base = deps.config.publicUrl;
    return c.json({
      topics: topics.map((t) => ({
        slug: t.slug,
        title: t.title,
        description: t.description,
        query: t.query,
        tags: t.tags,
        minSources: t.minSources,
        feeds: {
          rss: `${base}/topics/${t.slug}/rss.xml`,
          atom: `${base}/topics/${t.slug}/atom.xml`,
          json: `${base}/topics/${t.slug}/feed.json`,
        },
      })),
    });
  });

  app.get('/api/v1/stories', async (c) => {
    const q = parseQuery(c, storiesQuery);
    let filter: { tags: string[]; query: string | null } = { tags: [], query: null };
    let minSources = q.min_sources;
    if (q.topic !== undefined && q.topic !== 'all') {
      const topic = await getTopic(deps.pool, q.topic);
      if (!topic) throw new HttpError(404, 'topic_not_found', `no topic "${q.topic}"`);
      filter = topicFilter(topic);
      minSources ??= topic.minSources;
    }
    const stories = await listStories(deps.pool, {
      ...filter,
      query2: q.q ?? null,
      limit: q.limit,
      minSources: minSources ?? 1,
      since: q.since ?? null,
      until: q.until ?? null,
      after: q.cursor ? decodeCursor(q.cursor) : null,
    });
    const last = stories.at(-1);
    return c.json({
      stories: stories.map((s) => storyJson(s, false)),
      nextCursor: last && stories.length === q.limit ? encodeCursor({ updatedAt: last.updatedAt, id: last.id }) : null,
    });
  });

  app.get('/api/v1/stories/:id', async (c) => {
    const story = await getStory(deps.pool, c.req.param('id'));
    if (!story) throw new HttpError(404, 'story_not_found', `no story ${c.req.param('id')}`);
    return c.json(storyJson(story, true));
  });

  return app;
}
