import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed, recordFetchError } from '@newsfold/db';
import { createTestRuntime, type TestRuntime } from '../testdata/test-runtime.js';
import { feedsList } from './feeds.js';

describe('feeds list', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.drop());

  it('lists feeds by id with their state, and what went wrong with the failing ones below', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 11; i++) ids.push((await insertFeed(t.db.pool, { url: `https://f${i}.example/feed.xml`, tags: ['world'] })).feed.id);
    const failing = ids[1] ?? '';
    await recordFetchError(t.db.pool, failing, { status: 404, code: 'http_error', message: 'HTTP 404 Not Found', nextFetchAt: new Date(Date.now() + 3_600_000) });
    const out = await feedsList(t.rt);
    const [listed = '', errors = ''] = out.split('\n\nerrors:\n');
    const rows = listed.split('\n').slice(1);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(ids);
    expect(rows[1]).toContain('error ×1: http_error');
    expect(errors.split('\n')).toEqual(['ID  ERROR', `${failing.padEnd(2)}  HTTP 404 Not Found`]);
  });
});
