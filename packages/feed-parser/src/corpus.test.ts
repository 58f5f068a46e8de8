import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from './index.js';

/** gofeed's test corpus (shared beside the repo): hundreds of small, often deliberately odd feeds. */
const CORPUS = fileURLToPath(new URL('../../../../shared/corpora/gofeed/testdata', import.meta.url));
/** A single small file taking longer than this means something is looping. */
const PER_FILE_MS = 2_000;

function feedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return feedFiles(path);
    return /\.(xml|json)$/.test(name) ? [path] : [];
  });
}

describe('gofeed corpus', () => {
  it('parses every file or fails with a FeedParseError, promptly', async (ctx) => {
    ctx.skip(!existsSync(CORPUS), `gofeed corpus not found at ${CORPUS}`);
    const files = feedFiles(CORPUS);
    expect(files.length).toBeGreaterThan(100);
    const unexpected: string[] = [];
    const slow: string[] = [];
    let parsed = 0;
    for (const file of files) {
      const started = performance.now();
      try {
        await parseFeed(readFileSync(file), { fetchedAt: new Date('2030-01-01T00:00:00Z') });
        parsed++;
      } catch (error) {
        if (!(error instanceof FeedParseError)) unexpected.push(`${file}: ${String(error)}`);
      }
      if (performance.now() - started > PER_FILE_MS) slow.push(file);
    }
    expect(unexpected).toEqual([]);
    expect(slow).toEqual([]);
    // Sanity: the RSS/Atom/JSON Feed files parse; gofeed's expected-output .json files are not feeds.
    expect(parsed).toBeGreaterThan(500);
  });
});
