import { Hono } from 'hono';
import { z } from 'zod';
import { getStory } from '@newsfold/db';
import { mergeStories, splitStory } from '@newsfold/stories';
import { NewsfoldError } from '@newsfold/errors';
import type { ApiDeps } from '../deps.js';
import { storyJson } from './stories.js';
import { adminAuth } from '../admin-auth.js';
import { HttpError } from '../http-error.js';
import { parseJsonBody } from '../validate.js';

const id = z.string().regex(/^\d{1,18}$/, 'expected a numeric id');
const splitBody = z.object({ articleIds: z.array(id).min(1).max(1000) });
const mergeBody = z.object({ storyIds: z.array(id).min(2).max(100) });

const STATUS: Record<string, 404 | 422> = {
  story_not_found: 404,
  article_not_in_story: 422,
  nothing_left: 422,
  too_few_stories: 422,
};

/** Correction errors from @newsfold/stories as HTTP errors; anything else passes through unchanged. */
async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const status = error instanceof NewsfoldError ? STATUS[error.code] : undefined;
    if (error instanceof NewsfoldError && status !== undefined) throw new HttpError(status, error.code, error.message);
    throw error;
  }
}

async function loadStory(deps: ApiDeps, storyId: string) {
  const story = await getStory(deps.pool, storyId);
  // Only if something removed it between the correction and this read.
  if (!story) throw new HttpError(404, 'story_not_found', `no story ${storyId}`);
  return storyJson(story, true);
}

/**
 * Admin story corrections, which later clustering respects. Each route carries the admin check
 * itself: the paths sit among the public story reads, which other methods on them fall through to.
 */
export function correctionRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const auth = adminAuth(deps.config.adminToken);

  app.post('/api/v1/stories/merge', auth, async (c) => {
    const body = await parseJsonBody(c, mergeBody);
    if (new Set(body.storyIds).size < 2) throw new HttpError(422, 'too_few_stories', 'a merge needs at least two different stories');
    const { survivor, merged } = await mapped(() => mergeStories(deps.pool, body.storyIds));
    deps.log.info({ storyId: survivor, merged }, 'admin: merged stories');
    return c.json({ story: await loadStory(deps, survivor), merged });
  });

  app.post('/api/v1/stories/:id/split', auth, async (c) => {
    const storyId = c.req.param('id');
    if (!/^\d{1,18}$/.test(storyId)) throw new HttpError(404, 'story_not_found', `no story ${storyId}`);
    const body = await parseJsonBody(c, splitBody);
    const { original, created } = await mapped(() => splitStory(deps.pool, storyId, body.articleIds));
    deps.log.info({ storyId: original, created, articleIds: body.articleIds }, 'admin: split story');
    return c.json({ original: await loadStory(deps, original), created: await loadStory(deps, created) }, 201, {
      Location: `/api/v1/stories/${created}`,
    });
  });

  return app;
}
