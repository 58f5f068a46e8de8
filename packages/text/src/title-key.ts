/**
 * Combining diacritical marks of Latin, Greek and Cyrillic text (the blocks U+0300–036F,
 * U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, U+FE20–FE2F). Deliberately not every `\p{M}`: in Indic
 * scripts vowel signs are marks, and in Japanese the voicing mark of が is a mark too; stripping
 * those would merge different words.
 */
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

/** Single letters joined by dots, as in "U.S.", "e.g." or "U.K": an acronym, dots removed. */
const DOTTED_ACRONYM = /(?<![\p{L}\p{N}])\p{L}(?:\.\p{L})+\.?(?![\p{L}\p{N}])/gu;

const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/gu;

/** Invisible formatting characters (zero-width space/joiners, bidi marks, BOM): removed. */
const FORMAT = /\p{Cf}/gu;

/**
 * A normalised key for "same headline" matching: two titles that differ only in case,
 * diacritics, punctuation, symbols, quotes or spacing get the same key.
 *
 * NFKC (full-width and compatibility forms to plain ones), lower case (locale-independent:
 * `toLowerCase` uses Unicode's default mapping, never the host's locale), diacritics removed
 * (NFD, combining marks stripped, NFC again so Hangul and kana stay composed), dotted acronyms
 * joined ("U.S." → "us"), punctuation and symbols to spaces, whitespace collapsed and trimmed.
 * Letters of every script are kept: "Путин", "Αθήνα" → "αθηνα", "东京" are all keys.
 *
 *   titleKey("U.S. & Ukraine hold ‘crucial’ talks") === "us ukraine hold crucial talks"
 *   titleKey("US & Ukraine Hold Crucial Talks!")    === "us ukraine hold crucial talks"
 */
export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .normalize('NFC')
    .replace(FORMAT, '')
    .replace(DOTTED_ACRONYM, (acronym) => acronym.replaceAll('.', ''))
    .replace(PUNCTUATION_OR_SYMBOL, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
