import { NewsfoldError } from '@newsfold/errors';
import { parseFeed, type ParsedFeed } from '@newsfold/feed-parser';
import { fetchUrl, type FetchOptions } from '@newsfold/fetcher';
import { readInputFile } from '../read-input-file.js';

export type ParseOutput = ParsedFeed | { error: { code: string; message: string } };

/** Parses one file or URL through the same path the poller uses; a failure becomes an error object, never a throw. */
export async function parseInput(input: string, fetch: FetchOptions): Promise<ParseOutput> {
  try {
    if (/^https?:\/\//i.test(input)) {
      const result = await fetchUrl(input, fetch);
      if (result.notModified) return { error: { code: 'not_modified', message: 'the server answered 304' } };
      return await parseFeed(result.body, { url: result.url, contentType: result.contentType });
    }
    return await parseFeed(await readInputFile(input), {});
  } catch (error) {
    if (error instanceof NewsfoldError) return { error: { code: error.code, message: error.message } };
    return { error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) } };
  }
}
