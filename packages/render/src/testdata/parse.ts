import Parser from 'rss-parser';

export type ParsedFeed = Parser.Output<Record<string, unknown>> & Record<string, unknown>;
export type ParsedItem = ParsedFeed['items'][number] & Record<string, unknown>;

const parser = new Parser<Record<string, unknown>, Record<string, unknown>>({
  customFields: {
    feed: ['updated', 'id', 'subtitle', 'generator', 'ttl', 'language'] as never[],
    item: ['updated', 'published', 'description', 'summary'],
  },
});

/** Parses RSS or Atom back; rss-parser's sax runs in strict mode and throws on malformed XML. */
export async function parseFeed(xml: string): Promise<ParsedFeed> {
  return (await parser.parseString(xml)) as ParsedFeed;
}

/** Decodes the few entities escapeHtml produces, to read type="html" text back as plain text. */
export function decodeHtmlText(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The href of every <a> in an HTML fragment, entity-decoded. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => decodeHtmlText(m[1] ?? ''));
}
