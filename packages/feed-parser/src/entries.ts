import { hash } from 'node:crypto';
import { clampDate } from './dates.js';
import type { ParsedEntry, ParsedFeed } from './types.js';

/** An entry as a format mapper produced it, before ids are settled and dates clamped. */
export interface EntryDraft extends Omit<ParsedEntry, 'guid'> {
  /** guid / id as given (may be empty). */
  guid: string | null;
  /** The link as written, for the guid fallback when it could not be resolved to an absolute URL. */
  rawLink: string | null;
  /** The date text as written, for the hashed guid fallback. */
  rawDate: string | null;
}

/** One-shot hashing: a third of createHash().update().digest()'s cost for short input. */
function sha1(text: string): string {
  return hash('sha1', text, 'hex');
}

/** The entry's identity: its guid, else its link, else a stable hash of its title and date. */
export function entryGuid(draft: EntryDraft): string {
  const given = draft.guid?.trim();
  if (given) return given;
  const link = draft.url ?? draft.rawLink?.trim();
  if (link) return link;
  const title = draft.title.trim();
  const date = draft.rawDate?.trim() ?? '';
  if (title || date) return `sha1:${sha1(`${title}\n${date}`)}`;
  // Neither title nor date: the content is all that can tell such entries apart.
  return `sha1:${sha1(`${draft.summary ?? ''}\n${draft.contentHtml ?? ''}\n${draft.enclosures[0]?.url ?? ''}`)}`;
}

/**
 * Settles each entry's guid, clamps future dates to `fetchedAt`, and keeps only the first entry
 * of each guid and link (feeds repeat items; the first is the one readers see on top). Entries
 * sharing a guid but linking to different pages are all kept: a feed that gives every item the
 * same guid still lists different articles, and which of them are one article is the
 * normalizer's decision (it compares canonical links). Entries are kept as the feed gives them,
 * even with nothing to show (an `<item>` with only a date), for the same reason.
 */
export function finalizeEntries(drafts: readonly EntryDraft[], fetchedAt: Date): ParsedEntry[] {
  const seen = new Set<string>();
  const entries: ParsedEntry[] = [];
  for (const draft of drafts) {
    const guid = entryGuid(draft);
    // A resolved link holds no newline, so no other link and guid spell the same key.
    const key = `${draft.url ?? ''}\n${guid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Spelled out rather than `{ rawLink, rawDate, ...rest }`: rest-with-exclusions is a slow path in V8.
    entries.push({
      guid,
      url: draft.url,
      baseUrl: draft.baseUrl ?? null,
      title: draft.title,
      summary: draft.summary,
      contentHtml: draft.contentHtml,
      author: draft.author,
      publishedAt: clampDate(draft.publishedAt, fetchedAt),
      updatedAt: clampDate(draft.updatedAt, fetchedAt),
      categories: draft.categories,
      enclosures: draft.enclosures,
      imageUrl: draft.imageUrl,
    });
  }
  return entries;
}

/** A feed with its entries as the format mappers produced them, before finalizeEntries. */
export type DraftFeed = Omit<ParsedFeed, 'entries'> & { drafts: EntryDraft[] };
