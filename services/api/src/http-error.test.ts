import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@newsfold/logging';
import { handleError, HttpError } from './http-error.js';

describe('handleError', () => {
  it('answers with none of the validators or caching the route had set for its answer', async () => {
    const app = new Hono();
    const cached = (c: { header: (name: string, value: string) => void }) => {
      c.header('ETag', 'W/"feed"');
      c.header('Last-Modified', 'Thu, 26 Nov 2026 10:00:00 GMT');
      c.header('Cache-Control', 'public, max-age=60');
    };
    app.get('/refused', (c) => {
      cached(c);
      throw new HttpError(429, 'rate_limited', 'slow down');
    });
    app.get('/broken', (c) => {
      cached(c);
      throw new Error('render failed');
    });
    app.onError(handleError(createLogger({ level: 'silent' })));
    for (const [path, status] of [['/refused', 429], ['/broken', 500]] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('etag'), path).toBeNull();
      expect(res.headers.get('last-modified'), path).toBeNull();
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });
});
