import { describe, expect, it } from 'vitest';
import { BodyCache } from './body-cache.js';

const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('BodyCache (topic feed bodies by ETag)', () => {
  it('renders once per ETag and serves the UTF-8 bytes after that', async () => {
    const cache = new BodyCache();
    let renders = 0;
    const render = (body: string) => async () => {
      renders += 1;
      return body;
    };
    const first = await cache.get('W/"a"', render('<rss>Zürich — “quotes” 🌍</rss>'));
    expect(text(first)).toBe('<rss>Zürich — “quotes” 🌍</rss>');
    expect(await cache.get('W/"a"', render('something else'))).toBe(first);
    expect(renders).toBe(1);
    // Another ETag is another representation.
    expect(text(await cache.get('W/"b"', render('<rss>b</rss>')))).toBe('<rss>b</rss>');
    expect(renders).toBe(2);
  });

  it('shares one render between concurrent misses for the same ETag', async () => {
    const cache = new BodyCache();
    let renders = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const render = async () => {
      renders += 1;
      await gate;
      return 'body';
    };
    const all = Promise.all(Array.from({ length: 20 }, () => cache.get('W/"x"', render)));
    release();
    const bodies = await all;
    expect(renders).toBe(1);
    expect(new Set(bodies).size).toBe(1);
  });

  it('keeps nothing from a failed render', async () => {
    const cache = new BodyCache();
    await expect(cache.get('W/"e"', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(cache.size).toBe(0);
    expect(text(await cache.get('W/"e"', async () => 'recovered'))).toBe('recovered');
  });

  it('drops the least recently used bodies past its byte budget, and never keeps an oversized one', async () => {
    const cache = new BodyCache(100);
    const body = (c: string) => async () => c.repeat(20);
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.get(key, body(key)); // 100 bytes: full
    await cache.get('a', body('!')); // a is now the most recently used
    await cache.get('f', body('f')); // 120 bytes: b goes
    expect(cache.size).toBe(5);
    let rendered = '';
    const track = (c: string) => async () => {
      rendered += c;
      return c.repeat(20);
    };
    expect(text(await cache.get('a', track('A')))).toBe('a'.repeat(20));
    expect(text(await cache.get('b', track('B')))).toBe('B'.repeat(20));
    expect(rendered).toBe('B');
    // Over a quarter of the budget: served, not kept.
    expect(text(await cache.get('big', async () => 'x'.repeat(26)))).toBe('x'.repeat(26));
    expect(text(await cache.get('big', async () => 'y'.repeat(26)))).toBe('y'.repeat(26));
  });
});
