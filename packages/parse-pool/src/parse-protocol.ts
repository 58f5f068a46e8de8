import type { ParsedEntry, ParsedFeed, ParseOptions } from '@newsfold/feed-parser';

/**
 * Messages between the parse pool (main thread) and a parse worker thread. The parsed feed comes
 * back in chunks of entries, one chunk per `next` from the main thread: deserialising 100k entries
 * in one message would block the main thread for about a second, which is what the pool exists to
 * avoid. Values cross by structured clone, so Dates stay Dates.
 */

export type ToWorker =
  | { type: 'parse'; id: number; body: Uint8Array; options: ParseOptions }
  | { type: 'next'; id: number };

export interface WireError {
  name: string;
  code: string | null;
  message: string;
  permanent: boolean;
}

export type FromWorker =
  /** The thread has the body and begins parsing: the parse deadline runs from here. */
  | { type: 'started'; id: number }
  | { type: 'head'; id: number; feed: Omit<ParsedFeed, 'entries'> }
  | { type: 'entries'; id: number; entries: ParsedEntry[] }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; error: WireError };

/** Entries per message: small enough that deserialising one chunk takes a few milliseconds. */
export const ENTRY_CHUNK = 500;
