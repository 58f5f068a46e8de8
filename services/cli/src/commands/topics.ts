import { countTopicStories, deleteTopic, getTopic, isSearchableQuery, listTopics, upsertTopic, withTransaction } from '@newsfold/db';
import { recomputeTopic } from '@newsfold/stories';
import { baseUrl, topicFeedUrl } from '@newsfold/render';
import { hasControlChars } from '@newsfold/text';
import { CliError } from '../cli-error.js';
import type { Runtime } from '../runtime.js';
import { table } from '../table.js';

const BUILT_IN = 'all';

function checkSlug(slug: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) {
    throw new CliError('invalid_slug', 'a topic slug is lower-case letters, digits and dashes (at most 63)', 2);
  }
  if (slug === BUILT_IN) throw new CliError('topic_built_in', 'the built-in topic "all" holds every story; it cannot be changed or removed');
}

/**
 * Creates or changes a topic, then rebuilds its membership before returning (a one-shot command
 * has no background to leave it to; a running API would also pick it up in its sweep). What is
 * not given stays as it was (for a new topic: no query, no tags, one source, a title made from
 * the slug), so `set world --query x` changes the query and keeps the tags, and re-running it
 * does not undo a title set through the API. An empty `--query ''`, `--tag ''` or
 * `--description ''` clears that field.
 */
export async function topicsSet(
  rt: Runtime,
  slug: string,
  options: { query?: string; tags?: string[]; minSources?: string; title?: string; description?: string },
): Promise<string> {
  checkSlug(slug);
  const minSources = options.minSources === undefined ? undefined : Number(options.minSources);
  if (minSources !== undefined && (!Number.isInteger(minSources) || minSources < 1 || minSources > 1000)) {
    throw new CliError('invalid_min_sources', '--min-sources takes a whole number from 1 to 1000', 2);
  }
  const tags = options.tags?.map((t) => t.trim()).filter((t) => t !== '');
  for (const tag of tags ?? []) {
    if (tag.length > 64 || hasControlChars(tag)) throw new CliError('invalid_tag', `--tag takes at most 64 characters, without control characters: ${JSON.stringify(tag)}`, 2);
  }
  const query = options.query === undefined ? undefined : options.query.trim() || null;
  if (query != null && (query.length > 500 || !(await isSearchableQuery(rt.pool, query)))) {
    throw new CliError('invalid_query', '--query needs words to search for (at most 500 characters)', 2);
  }
  // The fields kept are read and written back under the row's lock: an edit through the API
  // meanwhile is not overwritten with what was read before it.
  await withTransaction(rt.pool, async (tx) => {
    const existing = await getTopic(tx, slug, { forUpdate: true });
    await upsertTopic(tx, {
      slug,
      // An empty --title goes back to the one made from the slug: a topic always has a title.
      title: options.title?.trim() || (options.title === undefined ? existing?.title : undefined) || slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
      description: options.description === undefined ? (existing?.description ?? null) : options.description.trim() || null,
      query: query === undefined ? (existing?.query ?? null) : query,
      tags: tags ?? existing?.tags ?? [],
      minSources: minSources ?? existing?.minSources ?? 1,
    });
  });
  await recomputeTopic(rt.pool, slug);
  const members = await countTopicStories(rt.pool, slug);
  return `topic ${slug} (${members} ${members === 1 ? 'story' : 'stories'}): ${topicFeedUrl(baseUrl(rt.config.publicUrl), slug, 'rss')}`;
}

export async function topicsRemove(rt: Runtime, slug: string): Promise<string> {
  checkSlug(slug);
  if (!(await deleteTopic(rt.pool, slug))) throw new CliError('topic_not_found', `no topic "${slug}"`);
  return `removed topic ${slug}`;
}

export async function topicsList(rt: Runtime): Promise<string> {
  const topics = await listTopics(rt.pool);
  return table(
    ['SLUG', 'MIN SOURCES', 'TAGS', 'QUERY', 'FEED'],
    topics.map((t) => [t.slug, String(t.minSources), t.tags.join(','), t.query ?? '', topicFeedUrl(baseUrl(rt.config.publicUrl), t.slug, 'rss')]),
  );
}
