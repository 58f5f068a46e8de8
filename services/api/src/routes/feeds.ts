import { Hono } from 'hono';
import { z } from 'zod';
import {
  getFeed,
  listFeeds,
  markFeedsDue,
  type FeedRow,
} from '@newsfold/db';
import { NewsfoldError } from '@newsfold/errors';
import { changeFeed, removeFeed } from '@newsfold/stories';
import { hasControlChars, loggableUrl } from '@newsfold/text';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { checkFeedUrl } from '../feed-url.js';
import { fetchSoon } from '../fetch-soon.js';
import { subscribeFeed, type Subscription } from '../subscribe-feed.js';
import { parseJsonBody } from '../validate.js';

const httpUrl = z.string().superRefine((s, ctx) => {
  const checked = checkFeedUrl(s);
  if ('reason' in checked) ctx.addIssue({ code: 'custom', message: checked.reason });
});

const tag = z.string().trim().min(1).max(64);
const newFeed = z.object({ url: httpUrl, tags: z.array(tag).max(50).default([]) });

const noControl = (s: string) => !hasControlChars(s);

/** PATCH /api/v1/feeds/{id}: at least one of these; an empty title clears it like null. */
const feedPatch = z
  .object({
    title: z
      .string()
      .trim()
      .max(300)
      .refine(noControl, 'control characters are not allowed')
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
    tags: z.array(tag.refine(noControl, 'control characters are not allowed')).max(50).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((p) => p.title !== undefined || p.tags !== undefined || p.enabled !== undefined, 'name at least one of title, tags, enabled');

export function feedJson(feed: FeedRow) {
  return {
    id: feed.id,
    url: feed.url,
    title: feed.title,
    siteUrl: feed.siteUrl,
    tags: feed.tags,
    enabled: feed.enabled,
    disabledReason: feed.disabledReason,
    state: {
      lastStatus: feed.lastStatus,
      lastErrorCode: feed.lastErrorCode,
      lastError: feed.lastError,
      errorCount: feed.errorCount,
      lastFetchedAt: feed.lastFetchedAt?.toISOString() ?? null,
      lastSuccessAt: feed.lastSuccessAt?.toISOString() ?? null,
      nextFetchAt: feed.nextFetchAt.toISOString(),
    },
    createdAt: feed.createdAt.toISOString(),
  };
}

/** Admin feed management (mounted behind adminAuth). */
export function feedRoutes(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/api/v1/feeds', async (c) => c.json({ feeds: (await listFeeds(deps.pool)).map(feedJson) }));

  app.post('/api/v1/feeds', async (c) => {
    const body = await parseJsonBody(c, newFeed);
    let subscription: Subscription;
    try {
      subscription = await subscribeFeed(deps, body.url, body.tags);
    } catch (error) {
      if (!(error instanceof NewsfoldError)) throw error;
      throw new HttpError(422, error.code, `cannot subscribe to ${body.url.trim()}: ${error.message}`);
    }
    const { feed } = subscription;
    if (!subscription.created) {
      throw new HttpError(409, 'already_subscribed', `already subscribed to ${feed.url}`, { feed: feedJson(feed) });
    }
    deps.log.info({ feedId: feed.id, feed: loggableUrl(feed.url), tags: feed.tags }, 'admin: subscribed to feed');
    return c.json(feedJson(feed), 201, { Location: `/api/v1/feeds/${feed.id}` });
  });

  app.get('/api/v1/feeds/:id', async (c) => {
    const feed = await getFeed(deps.pool, c.req.param('id'));
    if (!feed) throw new HttpError(404, 'feed_not_found', `no feed ${c.req.param('id')}`);
    return c.json(feedJson(feed));
  });

  app.patch('/api/v1/feeds/:id', async (c) => {
    const id = c.req.param('id');
    const patch = await parseJsonBody(c, feedPatch);
    const updated = await changeFeed(deps.pool, id, patch);
    if (!updated) throw new HttpError(404, 'feed_not_found', `no feed ${id}`);
    deps.log.info({ feedId: id, changed: Object.keys(patch) }, 'admin: changed feed');
    return c.json(feedJson(updated.feed));
  });

  app.delete('/api/v1/feeds/:id', async (c) => {
    const deleted = await removeFeed(deps.pool, c.req.param('id'));
    if (!deleted) throw new HttpError(404, 'feed_not_found', `no feed ${c.req.param('id')}`);
    deps.log.info({ feedId: c.req.param('id') }, 'admin: removed feed and its articles');
    return c.body(null, 204);
  });

  app.post('/api/v1/feeds/:id/refresh', async (c) => {
    const feed = await getFeed(deps.pool, c.req.param('id'));
    if (!feed) throw new HttpError(404, 'feed_not_found', `no feed ${c.req.param('id')}`);
    if (!feed.enabled) throw new HttpError(409, 'feed_disabled', `feed ${feed.id} is disabled: ${feed.disabledReason ?? ''}`.trim());
    await markFeedsDue(deps.pool, [feed.id]);
    await fetchSoon(deps, [feed.id]);
    deps.log.info({ feedId: feed.id }, 'admin: refresh');
    return c.json({ status: 'queued', feed: feedJson(feed) }, 202);
  });

  return app;
}
