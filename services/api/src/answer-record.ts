import type { Context } from 'hono';

/**
 * What a validator-backed route answered with, noted on its context by the functions that make
 * such answers (notModified, notModifiedResponse, sendCached) and read by the replay cache, which
 * keeps only answers made this way (replay-cache.ts).
 */
export interface Answer {
  etag: string;
  lastChangeMs: number | undefined;
  /** Until when (epoch ms) the Last-Modified sent is a stopgap (lastModifiedFor); undefined: final. */
  until: number | undefined;
  /** The body of a 200; null for a 304; undefined while the route has not answered from a validator. */
  body?: Uint8Array<ArrayBuffer> | null;
}

const answers = new WeakMap<Context, Answer>();

/** The validators a route decided a conditional GET by (called by notModified). */
export function recordValidators(c: Context, etag: string, lastChangeMs: number | undefined, until: number | undefined): void {
  answers.set(c, { etag, lastChangeMs, until });
}

/** The route answered from those validators alone: with this body, or with a 304 (null). */
export function markReplayable(c: Context, body: Uint8Array<ArrayBuffer> | null): void {
  const answer = answers.get(c);
  if (answer) answer.body = body;
}

export function answerOf(c: Context): Answer | undefined {
  return answers.get(c);
}
