import type { OpmlOutline } from './outline.js';
import { addTags, normalizeTag } from './tags.js';
import { escapeAttribute, escapeText } from './xml-text.js';

export interface WriteOpmlOptions {
  /** The document title (`<head><title>`). */
  title: string;
  /** Written as `<dateCreated>` (RFC 822) when given and valid; omitted otherwise. */
  dateCreated?: Date;
}

/**
 * Writes an OPML 2.0 subscription list. Feeds are grouped into folders named after their first
 * tag (the way readers show tags); untagged feeds come first, at the top level, then one folder
 * per tag in order of first appearance. Each feed is
 * `<outline type="rss" text title xmlUrl htmlUrl category="tag1,tag2"/>`, with all its tags in
 * `category` so none is lost to the one-folder-per-feed layout. Tags are normalised as
 * `parseOpml` reads them (lower case, no commas). A feed without a title gets its URL as `text`
 * (which OPML requires) and no `title`, which `parseOpml` reads back as a null title.
 *
 * `parseOpml(writeOpml(outlines))` gives back the same URLs, titles and (normalised) tags.
 */
export function writeOpml(outlines: readonly OpmlOutline[], options: WriteOpmlOptions): string {
  const topLevel: string[] = [];
  const folders = new Map<string, string[]>();
  for (const outline of outlines) {
    const tags: string[] = [];
    addTags(tags, outline.tags.map(normalizeTag));
    const line = feedOutline(outline, tags);
    const folder = tags[0];
    if (folder === undefined) {
      topLevel.push(`    ${line}`);
    } else {
      const members = folders.get(folder) ?? [];
      members.push(`      ${line}`);
      folders.set(folder, members);
    }
  }

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeText(options.title)}</title>`,
  ];
  const date = options.dateCreated;
  if (date !== undefined && !Number.isNaN(date.getTime())) {
    lines.push(`    <dateCreated>${date.toUTCString()}</dateCreated>`);
  }
  lines.push('    <docs>http://opml.org/spec2.opml</docs>', '  </head>', '  <body>', ...topLevel);
  for (const [folder, members] of folders) {
    const name = escapeAttribute(folder);
    lines.push(`    <outline text="${name}" title="${name}">`, ...members, '    </outline>');
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}

function feedOutline(outline: OpmlOutline, tags: readonly string[]): string {
  const attributes: [string, string][] = [['type', 'rss'], ['text', outline.title ?? outline.xmlUrl]];
  if (outline.title !== null) attributes.push(['title', outline.title]);
  attributes.push(['xmlUrl', outline.xmlUrl]);
  if (outline.htmlUrl !== null) attributes.push(['htmlUrl', outline.htmlUrl]);
  if (tags.length > 0) attributes.push(['category', tags.join(',')]);
  return `<outline ${attributes.map(([name, value]) => `${name}="${escapeAttribute(value)}"`).join(' ')}/>`;
}
