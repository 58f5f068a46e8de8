import type { Config } from '@newsfold/config';
import { insertFeed, upsertTopic } from '@newsfold/db';
import type { Logger } from '@newsfold/logging';
import { startDemoServer } from '../demo-server.js';
import { STARTER_TOPICS } from '../first-start.js';
import { openRuntime } from '../runtime.js';
import { prepareDatabase } from '../start-services.js';
import { serve } from './serve.js';

/** The demo's own database and queue prefix, so sample outlets never mix with a real install's. */
export function demoConfig(config: Config): Config {
  const db = new URL(config.databaseUrl);
  const name = db.pathname.replace(/^\//, '') || 'newsfold';
  db.pathname = `/${name.endsWith('_demo') ? name : `${name}_demo`}`;
  return {
    ...config,
    databaseUrl: db.toString(),
    queuePrefix: `${config.queuePrefix}-demo`,
    starterFeeds: false,
    fetch: { ...config.fetch, allowPrivateNetworks: true },
  };
}

/**
 * `newsfold demo`: serves the bundled sample outlets on loopback, subscribes to them and runs
 * everything, so a newcomer sees stories fold with no internet.
 */
export async function demo(baseConfig: Config, log: Logger, options: { feedsPort: number }): Promise<void> {
  const config = demoConfig(baseConfig);
  const feeds = await startDemoServer(options.feedsPort);
  const rt = openRuntime(config, log);
  try {
    await prepareDatabase(rt);
    for (const url of feeds.feedUrls) await insertFeed(rt.pool, { url, tags: ['demo', 'world'] });
    for (const topic of STARTER_TOPICS) await upsertTopic(rt.pool, topic, { onlyIfMissing: true });
    const base = `http://localhost:${config.port}`;
    process.stderr.write(
      [
        '',
        `newsfold demo: ${feeds.feedUrls.length} sample outlets served at ${feeds.url}, database ${new URL(config.databaseUrl).pathname.slice(1)}`,
        'Stories fold within a few seconds. Subscribe in a reader, or:',
        `  curl ${base}/topics/all/rss.xml`,
        `  curl ${base}/topics/all/feed.json`,
        `  curl '${base}/api/v1/stories?min_sources=2'`,
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
    await serve(rt, { api: true, poller: true, normalizer: true }, { databasePrepared: true });
  } finally {
    await rt.close();
    await feeds.close();
  }
}
