import { decodeHTMLStrict } from 'entities';
import { htmlToText } from './html-to-text.js';
import { removeControlChars } from './remove-control-chars.js';

/** A named or numeric character reference, terminated by a semicolon. */
const ENTITY = /&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/**
 * A headline as one clean line of plain text: tags stripped and entities decoded (see
 * `htmlToText`), all whitespace collapsed to single spaces, trimmed.
 *
 * Feeds often encode titles twice (`&amp;#8216;`, `&amp;amp;`), which leaves entities in the text
 * after one decoding. If the result still contains a semicolon-terminated entity it is decoded once
 * more (strictly, so "AT&T" or "R&D" are never touched). Never more than twice: a third level is
 * rare enough that it is more likely a headline about HTML itself.
 */
export function cleanTitle(raw: string): string {
  let title = oneLine(htmlToText(raw));
  if (ENTITY.test(title)) title = oneLine(removeControlChars(decodeHTMLStrict(title)));
  return title;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
