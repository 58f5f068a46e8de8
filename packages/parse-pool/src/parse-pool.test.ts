import { describe, expect, it } from 'vitest';
import { NewsfoldError } from '@newsfold/errors';
import { FeedParseError } from '@newsfold/feed-parser';
import { hugeRss } from '@newsfold/testing';
import { createParsePool } from './parse-pool.js';

/**
 * The pool parses small bodies inline and large ones on threads, carries results and errors back
 * as parseFeed gives them, and abandons a parse past its deadline without losing the pool. (That
 * the event loop keeps ticking meanwhile is tested where it matters: the poller's large-feed test
 * and the CLI's subscribe-huge-feed test.)
 */

/** One date for every body: two bodies built a moment apart could straddle a second. */
const PUBLISHED = new Date(Date.now() - 3_600_000).toUTCString();

const small = (title: string) =>
  Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://small.example/</link><item><title>Hello</title><guid>h-1</guid><pubDate>${PUBLISHED}</pubDate></item></channel></rss>`,
  );

describe('parse pool', () => {
  it('keeps small bodies inline and carries Dates and parse errors across the thread boundary', async () => {
    const inline = createParsePool();
    const threaded = createParsePool({ threadMinBytes: 0 });
    try {
      const a = await inline.parse(small('Inline'), { url: 'https://small.example/feed.xml' });
      expect(inline.stats().threads).toBe(0);
      const b = await threaded.parse(small('Threaded'), { url: 'https://small.example/feed.xml' });
      expect(threaded.stats()).toMatchObject({ threads: 1, busy: 0, queued: 0 });
      expect(b.title).toBe('Threaded');
      expect(b.entries[0]?.publishedAt).toBeInstanceOf(Date);
      expect(b.entries[0]?.publishedAt?.getTime()).toBe(a.entries[0]?.publishedAt?.getTime());

      const html = Buffer.from('<!doctype html><html><head><title>x</title></head><body>x</body></html>');
      const error = await threaded.parse(html, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FeedParseError);
      expect(error).toMatchObject({ code: 'not_a_feed', permanent: true });
    } finally {
      await inline.close();
      await threaded.close();
    }
    const closed = await threaded.parse(small('Late'), {}).catch((e: unknown) => e);
    expect(closed).toMatchObject({ code: 'parse_pool_closed' });
  });

  it('counts the parse deadline from when the thread starts on the body, not from its boot', async () => {
    // Booting a thread takes about 170 ms here; parsing a small feed, about 1 ms.
    const pool = createParsePool({ timeoutMs: 50, threadMinBytes: 0 });
    try {
      expect(pool.stats().threads).toBe(0);
      expect((await pool.parse(small('Cold'), {})).title).toBe('Cold');
      expect((await pool.parse(small('Warm'), {})).title).toBe('Warm');
    } finally {
      await pool.close();
    }
  });

  it('terminates a thread whose parse runs past the deadline, and starts a fresh one for the next body', async () => {
    // A deadline far below any machine's time for 100k entries (over a second here), far above a
    // small feed's (a few ms: the deadline runs from when the thread starts on the body).
    const deadlineMs = 250;
    const pool = createParsePool({ timeoutMs: deadlineMs, threadMinBytes: 0, maxThreads: 1 });
    try {
      const error = await pool.parse(hugeRss(100_000), { url: 'https://huge.example/feed.xml' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NewsfoldError);
      expect(error).toMatchObject({ code: 'parse_timeout', message: `parsing the feed took longer than ${deadlineMs} ms` });
      expect(pool.stats().threads).toBe(0);
      const next = await pool.parse(small('After'), {});
      expect(next.title).toBe('After');
      expect(pool.stats().threads).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
