import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeed, listFeeds } from '@newsfold/db';
import type { Queues } from '@newsfold/queue';
import type { TestDatabase } from '@newsfold/testing';
import type { Runtime } from '../runtime.js';
import { createTestRuntime, type TestRuntime } from '../testdata/test-runtime.js';
import { opmlExport, opmlImport } from './opml.js';

describe('opml import / export', () => {
  let t: TestRuntime;
  let db: TestDatabase;
  let queues: Queues;
  let rt: Runtime;
  beforeAll(async () => {
    t = await createTestRuntime();
    ({ db, rt } = t);
    queues = rt.queues;
  });
  afterAll(() => t.drop());

  it('subscribes to the valid http(s) outlines in bulk, with folders as tags, and queues their first fetch', async () => {
    await insertFeed(db.pool, { url: 'https://known.example/feed.xml' });
    const dir = await mkdtemp(join(tmpdir(), 'newsfold-opml-'));
    const file = join(dir, 'subs.opml');
    await writeFile(
      file,
      `<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>
<outline text="World"><outline type="rss" text="A" xmlUrl="https://a.example/feed.xml"/><outline type="rss" text="Known" xmlUrl="https://known.example/feed.xml"/></outline>
<outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
<outline type="rss" text="B" xmlUrl="https://b.example/rss"/>
</body></opml>`,
    );
    const message = await opmlImport(rt, file);
    expect(message).toMatch(/^imported 4 outlines: 2 new feeds, 1 already subscribed, 1 invalid\n {2}skipped javascript:alert\(1\): only http and https/);
    const feeds = await listFeeds(db.pool);
    expect(feeds.map((f) => [f.url, f.tags]).sort()).toEqual([
      ['https://a.example/feed.xml', ['world']],
      ['https://b.example/rss', []],
      ['https://known.example/feed.xml', []],
    ]);
    expect(await queues.fetch.getWaitingCount()).toBe(2);
    expect(await opmlExport(rt)).toContain('xmlUrl="https://a.example/feed.xml"');
  });

  it('reads a file in the encoding its XML declaration names, or its byte order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsfold-opml-'));
    const latin1 = join(dir, 'latin1.opml');
    await writeFile(
      latin1,
      Buffer.from(
        `<?xml version="1.0" encoding="ISO-8859-1"?><opml version="2.0"><head><title>s</title></head><body>
<outline text="Économie"><outline type="rss" text="Le Monde" xmlUrl="https://lemonde.example/eco.xml"/></outline></body></opml>`,
        'latin1',
      ),
    );
    const utf16 = join(dir, 'utf16.opml');
    await writeFile(
      utf16,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`<?xml version="1.0" encoding="UTF-16"?><opml version="2.0"><head><title>s</title></head><body>
<outline text="Ciência"><outline type="rss" text="P" xmlUrl="https://publico.example/ciencia.xml"/></outline></body></opml>`, 'utf16le'),
      ]),
    );
    await opmlImport(rt, latin1);
    await opmlImport(rt, utf16);
    const tags = new Map((await listFeeds(db.pool)).map((f) => [f.url, f.tags]));
    expect(tags.get('https://lemonde.example/eco.xml')).toEqual(['économie']);
    expect(tags.get('https://publico.example/ciencia.xml')).toEqual(['ciência']);
  });

  it('says plainly that a file is missing, a directory or not OPML, and subscribes to nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsfold-opml-'));
    const before = (await listFeeds(db.pool)).length;
    await expect(opmlImport(rt, join(dir, 'nope.opml'))).rejects.toMatchObject({ code: 'not_found', message: `no such file: ${join(dir, 'nope.opml')}`, exitCode: 1 });
    await expect(opmlImport(rt, dir)).rejects.toMatchObject({ code: 'is_a_directory' });
    const html = join(dir, 'page.html');
    await writeFile(html, '<!doctype html><html><body><p>not a list of feeds</p></body></html>');
    await expect(opmlImport(rt, html)).rejects.toMatchObject({ code: 'invalid_opml' });
    expect(await listFeeds(db.pool)).toHaveLength(before);
  });
});
