/** One feed subscription in an OPML document. */
export interface OpmlOutline {
  /** The feed's URL (the `xmlUrl` attribute), trimmed but otherwise as written. */
  xmlUrl: string;
  /** The feed's name (`title`, else `text`); null when absent or identical to `xmlUrl`. */
  title: string | null;
  /** The site's home page (`htmlUrl`). */
  htmlUrl: string | null;
  /** Normalised tags (see `normalizeTag`): the `category` attribute, then enclosing folders. */
  tags: string[];
}
