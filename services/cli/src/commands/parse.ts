import { readFile } from 'node:fs/promises';
import { NewsfoldError } from '@newsfold/errors';
import { parseFeed, type ParsedFeed } from '@newsfold/feed-parser';
import { fetchUrl, type FetchOptions } from '@newsfold/fetcher';

export type ParseOutput = ParsedFeed | { error: { code: string; message: string } };

/** Parses one file or URL through the same path the poller uses; a failure becomes an error object, never a throw. */
export async function parseInput(input: string, fetch: FetchOptions): Promise<ParseOutput> {
  try {
    if (/^https?:\/\//i.test(input)) {
      const result = await fetchUrl(input, fetch);
      if (result.notModified) return { error: { code: 'not_modified', message: 'the server answered 304' } };
      return await parseFeed(result.body, { url: result.url, contentType: result.contentType });
    }
    const body = await readFile(input);
    return await parseFeed(body, {});
  } catch (error) {
    if (error instanceof NewsfoldError) return { error: { code: error.code, message: error.message } };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: { code: 'not_found', message: `no such file: ${input}` } };
    if (code === 'EISDIR') return { error: { code: 'is_a_directory', message: `${input} is a directory` } };
    return { error: { code: 'unreadable', message: (error as Error).message } };
  }
}
