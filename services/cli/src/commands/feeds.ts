import { NewsfoldError } from '@newsfold/errors';
import { checkFeedUrl, subscribeFeed, type Subscription } from '@newsfold/api';
import { listFeeds, type FeedRow } from '@newsfold/db';
import { removeFeed } from '@newsfold/stories';
import { CliError } from '../cli-error.js';
import { createProber } from '../prober.js';
import type { Runtime } from '../runtime.js';
import { table } from '../table.js';

export async function feedsAdd(rt: Runtime, url: string, tags: string[]): Promise<string> {
  const checked = checkFeedUrl(url);
  if ('reason' in checked) throw new CliError('invalid_url', `cannot subscribe: ${checked.reason}`);
  let subscription: Subscription;
  const prober = createProber(rt.config);
  try {
    subscription = await subscribeFeed({ pool: rt.pool, queues: rt.queues, log: rt.log, probe: prober.probe }, checked.url, tags);
  } catch (error) {
    if (error instanceof NewsfoldError) throw new CliError(error.code, `cannot subscribe to ${checked.url}: ${error.message}`);
    throw error;
  } finally {
    await prober.close();
  }
  const { feed } = subscription;
  if (!subscription.created) return `already subscribed: feed ${feed.id} ${feed.url}`;
  const probed = subscription.probed;
  if (!probed) return `subscribed: feed ${feed.id} ${feed.url}`;
  const found = probed.discoveredFrom ? ` (found on ${probed.discoveredFrom})` : '';
  return `subscribed: feed ${feed.id} ${feed.url}${found}: ${probed.title ?? 'untitled'}, ${probed.entries} entries${feed.tags.length ? ` [${feed.tags.join(', ')}]` : ''}`;
}

function state(feed: FeedRow): string {
  if (!feed.enabled) return `disabled: ${feed.disabledReason ?? ''}`.trim();
  if (feed.lastErrorCode) return `error ×${feed.errorCount}: ${feed.lastErrorCode}`;
  if (feed.lastStatus !== null) return `ok (${feed.lastStatus})`;
  return 'new';
}

function ago(date: Date | null, now: Date): string {
  if (!date) return '-';
  const s = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(s);
  const text = abs < 90 ? `${abs}s` : abs < 5400 ? `${Math.round(abs / 60)}m` : abs < 129_600 ? `${Math.round(abs / 3600)}h` : `${Math.round(abs / 86_400)}d`;
  return s < 0 ? `${text} ago` : `in ${text}`;
}

export async function feedsList(rt: Runtime): Promise<string> {
  const feeds = await listFeeds(rt.pool);
  if (feeds.length === 0) return 'no feeds yet: newsfold feeds add URL';
  const now = new Date();
  const listed = table(
    ['ID', 'STATE', 'LAST FETCH', 'NEXT FETCH', 'TAGS', 'TITLE / URL'],
    feeds.map((f) => [
      f.id,
      state(f),
      ago(f.lastFetchedAt, now),
      f.enabled ? ago(f.nextFetchAt, now) : '-',
      f.tags.join(','),
      f.title ? `${f.title} <${f.url}>` : f.url,
    ]),
  );
  // What went wrong, in full, below the table (the STATE column has only the code).
  const failing = feeds.filter((f) => f.enabled && f.lastErrorCode && f.lastError);
  if (failing.length === 0) return listed;
  return `${listed}\n\nerrors:\n${table(['ID', 'ERROR'], failing.map((f) => [f.id, f.lastError ?? '']))}`;
}

export async function feedsRemove(rt: Runtime, id: string): Promise<string> {
  const deleted = await removeFeed(rt.pool, id);
  if (!deleted) throw new CliError('feed_not_found', `no feed ${id}`);
  return `removed feed ${id} and its articles`;
}
