import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One JSON log line of a service process, with the run it came from (`normalizer-1.2`). */
export interface LogLine {
  run: string;
  level: number;
  msg: string;
  time: string;
  fields: Record<string, unknown>;
}

export const WARN = 40;
export const ERROR = 50;

/** Every log line the scenario's services wrote to stdout, run by run (what is not JSON is left out). */
export async function readServiceLogs(logDir: string): Promise<LogLine[]> {
  const files = (await readdir(logDir)).filter((f) => f.endsWith('.out.log')).sort();
  const lines: LogLine[] = [];
  for (const file of files) {
    const run = file.replace(/\.out\.log$/, '');
    for (const text of (await readFile(path.join(logDir, file), 'utf8')).split('\n')) {
      if (!text.startsWith('{')) continue;
      try {
        const fields = JSON.parse(text) as Record<string, unknown>;
        lines.push({ run, level: Number(fields.level), msg: String(fields.msg ?? ''), time: String(fields.time ?? ''), fields });
      } catch {
        // A line cut short by kill -9.
      }
    }
  }
  return lines;
}

/** How often each run said `msg` (a prefix of it). */
export function countSaid(lines: readonly LogLine[], prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) if (line.msg.startsWith(prefix)) counts.set(line.run, (counts.get(line.run) ?? 0) + 1);
  return counts;
}

/** What each run wrote to stderr (a service writes there only to say why it stopped), when anything. */
export async function readServiceStderr(logDir: string): Promise<{ run: string; text: string }[]> {
  const files = (await readdir(logDir)).filter((f) => f.endsWith('.err.log')).sort();
  const written: { run: string; text: string }[] = [];
  for (const file of files) {
    const text = (await readFile(path.join(logDir, file), 'utf8')).trim();
    if (text) written.push({ run: file.replace(/\.err\.log$/, ''), text: text.slice(0, 500) });
  }
  return written;
}
