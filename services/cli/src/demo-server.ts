import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const DEMO_FEEDS_DIR = new URL('../../../infra/demo/feeds/', import.meta.url);

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.rss\.xml$/, 'application/rss+xml; charset=utf-8'],
  [/\.atom\.xml$/, 'application/atom+xml; charset=utf-8'],
  [/\.feed\.json$/, 'application/feed+json; charset=utf-8'],
];

/** Replaces `{{rfc822:-35m}}` / `{{iso:-2h}}` with dates relative to `start` (see infra/demo/feeds/README.md). */
export function fillDates(text: string, start: Date): string {
  return text.replace(/\{\{(rfc822|iso):-(\d+)([mh])\}\}/g, (_m, format: string, amount: string, unit: string) => {
    const date = new Date(start.getTime() - Number(amount) * (unit === 'h' ? 3_600_000 : 60_000));
    return format === 'iso' ? date.toISOString() : date.toUTCString();
  });
}

export interface DemoServer {
  url: string;
  feedUrls: string[];
  close(): Promise<void>;
}

/** Serves the bundled demo outlets on loopback, their dates placed relative to now. */
export async function startDemoServer(port: number, start = new Date()): Promise<DemoServer> {
  const files = (await readdir(DEMO_FEEDS_DIR)).filter((f) => CONTENT_TYPES.some(([re]) => re.test(f))).sort();
  const bodies = new Map<string, { body: string; type: string }>();
  for (const file of files) {
    const type = CONTENT_TYPES.find(([re]) => re.test(file))?.[1] ?? 'application/octet-stream';
    bodies.set(`/${file}`, { body: fillDates(await readFile(new URL(file, DEMO_FEEDS_DIR), 'utf8'), start), type });
  }
  const server = http.createServer((req, res) => {
    const entry = bodies.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': entry.type }).end(entry.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    feedUrls: [...bodies.keys()].map((path) => `${url}${path}`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
