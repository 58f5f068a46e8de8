/**
 * A tag as newsfold stores it: trimmed, leading `/` removed (OPML 2.0 categories are paths such as
 * `/News/World`), commas (the category separator) and whitespace runs turned into single spaces,
 * lower-cased (locale-independent). '' means "no tag".
 */
export function normalizeTag(raw: string): string {
  return raw
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\/+/, '')
    .trim()
    .toLowerCase();
}

/** The tags of an OPML `category` attribute: comma-separated, each normalised, empty ones dropped. */
export function splitCategory(category: string): string[] {
  return category.split(',').map(normalizeTag).filter((tag) => tag !== '');
}

/** Appends each tag not already present, keeping first-seen order. */
export function addTags(into: string[], tags: readonly string[]): void {
  for (const tag of tags) if (tag !== '' && !into.includes(tag)) into.push(tag);
}
