/**
 * An RSS 2.0 feed of `items` entries (title, link and date each; with `description`, that text and
 * the entry's number as each one's description), for tests of bodies large enough to hold an event
 * loop for seconds when parsed on it: 100k entries make about 12 MB (under the default 15 MB fetch
 * cap), 50 MB with a description of 400 characters.
 */
export function hugeRss(items: number, options: { description?: string } = {}): Buffer {
  const base = Date.UTC(2026, 0, 1);
  const parts = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Huge Outlet</title><link>https://huge.example/</link>'];
  for (let i = 0; i < items; i++) {
    const description = options.description === undefined ? '' : `<description>${options.description}${i}</description>`;
    parts.push(`<item><title>Item ${i}</title><link>https://huge.example/a/${i}</link><pubDate>${new Date(base - i * 60_000).toUTCString()}</pubDate>${description}</item>`);
  }
  parts.push('</channel></rss>');
  return Buffer.from(parts.join(''));
}
