import { Hono } from 'hono';
import { z } from 'zod';
import { deleteTopic, getTopic, isSearchableQuery, upsertTopic } from '@newsfold/db';
import { hasControlChars } from '@newsfold/text';
import { adminAuth } from '../admin-auth.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { parseJsonBody } from '../validate.js';
import { topicJson } from './stories.js';

/** As the topics table's CHECK constraint. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const BUILT_IN = 'all';

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !hasControlChars(s), 'control characters are not allowed');

const topicBody = z.object({
  title: text(1, 200),
  description: text(0, 2000).nullish(),
  query: text(0, 500).nullish(),
  tags: z.array(text(1, 64)).max(50).default([]),
  minSources: z.number().int().min(1).max(1000).default(1),
});

function refuseBuiltIn(slug: string): void {
  if (slug === BUILT_IN) throw new HttpError(409, 'topic_built_in', 'the built-in topic "all" holds every story; it cannot be changed or deleted');
}

/**
 * Admin topic management: `PUT /api/v1/topics/{slug}` creates (201) or replaces (200) a topic
 * and starts its membership recompute in the background (see topic-recompute.ts); `DELETE`
 * removes one (204). The built-in `all` answers 409 to both. Every route carries the admin
 * check itself, so the sub-app is closed wherever it is mounted.
 */
export function topicAdminRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const auth = adminAuth(deps.config.adminToken);

  app.put('/api/v1/topics/:slug', auth, async (c) => {
    const slug = c.req.param('slug');
    if (!SLUG.test(slug)) {
      throw new HttpError(400, 'invalid_slug', 'a topic slug is 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit');
    }
    refuseBuiltIn(slug);
    const body = await parseJsonBody(c, topicBody);
    const query = body.query || null;
    if (query !== null && !(await isSearchableQuery(deps.pool, query))) {
      throw new HttpError(422, 'invalid_query', `query: "${query.slice(0, 80)}" has no words to search for`);
    }
    const { created, changed } = await upsertTopic(deps.pool, {
      slug,
      title: body.title,
      description: body.description || null,
      query,
      tags: body.tags,
      minSources: body.minSources,
    });
    const topic = await getTopic(deps.pool, slug);
    // Only if it was deleted between the write and this read.
    if (!topic) throw new HttpError(404, 'topic_not_found', `no topic "${slug}"`);
    if (changed || !topic.membershipReady) deps.recomputer.schedule(slug);
    if (created || changed) deps.log.info({ topic: slug, query, tags: topic.tags, minSources: topic.minSources }, created ? 'admin: created topic' : 'admin: changed topic');
    return c.json(topicJson(topic, deps.config.publicUrl), created ? 201 : 200, created ? { Location: `/api/v1/topics/${slug}` } : {});
  });

  app.delete('/api/v1/topics/:slug', auth, async (c) => {
    const slug = c.req.param('slug');
    refuseBuiltIn(slug);
    if (!SLUG.test(slug) || !(await deleteTopic(deps.pool, slug))) throw new HttpError(404, 'topic_not_found', `no topic "${slug}"`);
    deps.log.info({ topic: slug }, 'admin: deleted topic');
    return c.body(null, 204);
  });

  return app;
}
