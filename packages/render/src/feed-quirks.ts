/**
 * Work-arounds for the `feed` package (5.2.1), which serialises through xml-js:
 *
 * - xml-js text nodes un-escape "&amp;" before escaping "&", so a literal "&amp;" in a title
 *   would come out as "&". Passing text with every "&" pre-escaped makes the round trip
 *   exact ("&" → "&amp;" → "&" → "&amp;"). `feed` already does this for the URLs it
 *   `sanitize()`s (links, Atom entry ids, the generator) but not for titles, descriptions,
 *   names or the Atom feed id: those go through `xmlText`.
 * - xml-js escapes only `"` in attribute values: `feed` pre-escapes "&" in hrefs, and our
 *   URLs come from the WHATWG serialiser, which percent-encodes `<`, `>` and `"`.
 * - CDATA sections are only split at the first "]]>": everything we put in CDATA is HTML in
 *   which every text ">" is escaped, so "]]>" cannot occur.
 */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;');
}

/**
 * An Atom text construct of type="html" for the feed's own <title> and <subtitle>, which `feed`
 * writes without a type (so as type="text") while it writes every entry's title and summary as
 * type="html". `feed` puts these two options into its xml-js tree as they are, and xml-js writes
 * this object as `<title type="html">…</title>`; `feed`'s options are typed as strings only, hence
 * the cast. Only for renderAtom: `feed`'s RSS writer wraps the same options in an object itself.
 */
export function atomHtmlText(html: string): string {
  const element = { _attributes: { type: 'html' }, _text: xmlText(html) };
  return element as unknown as string;
}
