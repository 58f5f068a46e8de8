import { listTopics, upsertTopic } from '@newsfold/db';
import { CliError } from '../cli-error.js';
import type { Runtime } from '../runtime.js';
import { table } from '../table.js';

export async function topicsSet(
  rt: Runtime,
  slug: string,
  options: { query?: string; tags: string[]; minSources?: string; title?: string },
): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) {
    throw new CliError('invalid_slug', 'a topic slug is lower-case letters, digits and dashes (at most 63)');
  }
  const minSources = options.minSources === undefined ? 1 : Number(options.minSources);
  if (!Number.isInteger(minSources) || minSources < 1) throw new CliError('invalid_min_sources', '--min-sources takes a whole number ≥ 1');
  await upsertTopic(rt.pool, {
    slug,
    title: options.title ?? slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    query: options.query ?? null,
    tags: options.tags,
    minSources,
  });
  return `topic ${slug}: ${rt.config.publicUrl}/topics/${slug}/rss.xml`;
}

export async function topicsList(rt: Runtime): Promise<string> {
  const topics = await listTopics(rt.pool);
  return table(
    ['SLUG', 'MIN SOURCES', 'TAGS', 'QUERY', 'FEED'],
    topics.map((t) => [t.slug, String(t.minSources), t.tags.join(','), t.query ?? '', `${rt.config.publicUrl}/topics/${t.slug}/rss.xml`]),
  );
}
