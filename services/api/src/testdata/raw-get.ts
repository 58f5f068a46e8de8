import { request as httpRequest } from 'node:http';

export interface Raw {
  status: number;
  /** Every header as sent, but Date (the clock moves between two answers). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A request over a real socket, bytes as sent (fetch would decompress and merge headers), from
 * `localAddress` when given (127.0.0.x: distinct clients on one machine).
 */
export function rawGet(url: string, headers: Record<string, string | string[]> = {}, options: { method?: string; localAddress?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false, ...(options.localAddress ? { localAddress: options.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const { date: _date, ...rest } = res.headers;
        resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
