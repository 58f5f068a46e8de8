import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(ROOT, dir), { withFileTypes: true }).catch(() => [])) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') found.push(...(await sources(rel)));
    } else if (entry.name.endsWith('.ts')) found.push(rel);
  }
  return found;
}

/**
 * One way to open a story-writing transaction: @newsfold/stories' withStoryWrite. The normalizer,
 * the API's routes and the CLI call it (or the story functions built on it); none takes the lock
 * itself.
 */
describe('story writes have one entrance', () => {
  it('only @newsfold/stories opens story-locked transactions, and only db knows the lock', async () => {
    const files = (await Promise.all(['packages', 'services', 'bench', 'test'].map(sources))).flat();
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    // The story lock's key, with or without digit separators; built from parts so this file does not match.
    const storyLock = new RegExp(['7_?310', '_?432', '_?120'].join(''));
    for (const file of files) {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      if (text.includes('withStoriesLocked') && !file.startsWith('packages/db/') && !file.startsWith('packages/stories/')) offenders.push(`${file}: withStoriesLocked`);
      if (storyLock.test(text) && file !== 'packages/db/src/story-lock.ts') offenders.push(`${file}: the story lock's key`);
    }
    expect(offenders).toEqual([]);
  });
});
