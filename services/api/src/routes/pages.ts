/**
 * The web pages: server-rendered HTML, no client JavaScript. `/` lists the topics, `/topics/:slug`
 * a topic's stories with their coverage, `/stories/:id` one story. Errors on these paths are
 * HTML pages too (never a stack trace), but for a URL holding U+0000, which the app refuses in
 * JSON before any route (validate.ts).
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { getStory, getTopic, listTopics, readTopicStories, storyAlias } from '@newsfold/db';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import type { ReadLimiter } from '../read-limiter.js';
import { HttpError } from '../http-error.js';
import { topicStoryCount } from '../pages/data.js';
import { errorBody, paths, siteOf, type Html } from '../pages/layout.js';
import { storyPage } from '../pages/story-page.js';
import { DEFAULT_PAGE_SIZE, topicPage } from '../pages/topic-page.js';
import { topicsPage } from '../pages/topics-page.js';
import { parseQuery } from '../validate.js';
import { sendText } from '../send-cached.js';

const topicPageQuery = z.object({
  min_sources: z.coerce.number().int().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(200).optional(),
});

const CACHE_OK = 'public, max-age=60';
/** Pages load nothing but their own inline CSS: no scripts, no frames, no outside requests. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const ALL_FALLBACK = { slug: 'all', title: 'All stories' };

async function sendPage(c: Context, status: ContentfulStatusCode, page: Html, cache = CACHE_OK) {
  const body = (await page).toString();
  return sendText(c, body, status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': cache,
    'Content-Security-Policy': CSP,
  });
}

export function pageRoutes(deps: ApiDeps, reads: ReadLimiter): Hono {
  const app = new Hono();
  const site = () => siteOf(deps.config.publicUrl);

  app.get('/', async (c) => {
    const topics = await listTopics(deps.pool);
    const summaries = await Promise.all(
      topics.map(async (topic) => ({ topic, storyCount: await topicStoryCount(deps.pool, topic) })),
    );
    return sendPage(c, 200, topicsPage(site(), summaries));
  });

  const topicHandler = async (c: Context) => {
    const slug = c.req.param('slug') ?? '';
    const q = parseQuery(c, topicPageQuery);
    const topic = await getTopic(deps.pool, slug);
    if (!topic) throw new HttpError(404, 'topic_not_found', `There is no topic “${slug.slice(0, 100)}”.`);
    const minSources = q.min_sources ?? topic.minSources;
    // Pages are not cached: every view reads.
    reads.admit(c);
    // One row more than shown tells whether an older page exists, so "Older" never leads to an empty page.
    const rows = await readTopicStories(deps.pool, topic, {
      limit: q.limit + 1,
      minSources,
      after: q.cursor ? decodeCursor(q.cursor) : null,
    });
    const stories = rows.slice(0, q.limit);
    const last = stories.at(-1);
    const nextCursor = rows.length > q.limit && last ? encodeCursor({ updatedAt: last.updatedAt, id: last.id }) : null;
    return sendPage(
      c,
      200,
      topicPage(site(), {
        topic,
        stories,
        minSources,
        requestedMinSources: q.min_sources,
        limit: q.limit,
        nextCursor,
        paged: q.cursor !== undefined,
      }),
    );
  };
  app.get('/topics/:slug', topicHandler);
  app.get('/topics/:slug/', topicHandler);

  const storyHandler = async (c: Context) => {
    const id = c.req.param('id') ?? '';
    const story = await getStory(deps.pool, id);
    if (!story) {
      // A story merged into another: feed entries keep linking to the old page, which leads there.
      const into = await storyAlias(deps.pool, id);
      if (into) return c.redirect(new URL(paths.story(site(), into), site().base).href, 301);
      throw new HttpError(404, 'story_not_found', `There is no story ${id.slice(0, 40)}.`);
    }
    const all = (await getTopic(deps.pool, 'all')) ?? ALL_FALLBACK;
    return sendPage(c, 200, storyPage(site(), story, all));
  };
  app.get('/stories/:id', storyHandler);
  app.get('/stories/:id/', storyHandler);

  app.onError(async (error, c) => {
    if (error instanceof HttpError || error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      const message = error instanceof HttpError ? error.message : 'The request could not be handled.';
      return sendPage(c, status, errorBody(site(), status, message), status === 404 ? CACHE_OK : 'no-store');
    }
    deps.log.error({ err: error, path: c.req.path }, 'unhandled web page error');
    return sendPage(c, 500, errorBody(site(), 500, 'Something went wrong on our side. Please try again later.'), 'no-store');
  });

  return app;
}
