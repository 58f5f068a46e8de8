import { parentPort } from 'node:worker_threads';
import { NewsfoldError } from '@newsfold/errors';
import { parseFeed } from '@newsfold/feed-parser';
import { ENTRY_CHUNK, type FromWorker, type ToWorker, type WireError } from './parse-protocol.js';

/**
 * A parse-pool thread: parses one body at a time with parseFeed and sends the result back in
 * chunks, each after the main thread asked for it (see parse-protocol.ts). Started by parse-pool.ts.
 */

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;

let awaitingNext: { id: number; resume: () => void } | null = null;

function send(message: FromWorker): void {
  port.postMessage(message);
}

function nextRequested(id: number): Promise<void> {
  return new Promise((resume) => {
    awaitingNext = { id, resume };
  });
}

function toWire(error: unknown): WireError {
  if (error instanceof NewsfoldError) {
    return { name: error.name, code: error.code, message: error.message, permanent: error.permanent };
  }
  if (error instanceof Error) return { name: error.name, code: null, message: error.message, permanent: false };
  return { name: 'Error', code: null, message: String(error), permanent: false };
}

async function parse(id: number, body: Uint8Array, options: Extract<ToWorker, { type: 'parse' }>['options']): Promise<void> {
  send({ type: 'started', id });
  let parsed;
  try {
    parsed = await parseFeed(body, options);
  } catch (error) {
    send({ type: 'error', id, error: toWire(error) });
    return;
  }
  const { entries, ...feed } = parsed;
  const more = nextRequested(id);
  send({ type: 'head', id, feed });
  await more;
  for (let start = 0; start < entries.length; start += ENTRY_CHUNK) {
    const next = nextRequested(id);
    send({ type: 'entries', id, entries: entries.slice(start, start + ENTRY_CHUNK) });
    await next;
  }
  send({ type: 'done', id });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'next') {
    if (awaitingNext?.id === message.id) {
      const { resume } = awaitingNext;
      awaitingNext = null;
      resume();
    }
    return;
  }
  void parse(message.id, message.body, message.options);
});
