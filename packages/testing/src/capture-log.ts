import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@newsfold/logging';

/** A line the logger wrote, parsed: pino's level and message, and whatever fields came with it. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real logger whose lines are kept, parsed, for a test to read. */
export function captureLog(level = 'info'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: createLogger({ level }, stream), lines };
}
