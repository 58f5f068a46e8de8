const NON_ASCII = /[^\x00-\x7f]/;
const APOSTROPHE = /[\u2018\u2019\u02bc`\u00b4]/;
const APOSTROPHES = /[\u2018\u2019\u02bc`\u00b4]/g;
const IRREGULAR_SPACE = /\s\s|[^\S ]/;

/**
 * A line of text in the form the boilerplate, timestamp and credit matchers compare: NFKC,
 * lower case, typographic apostrophes as `'`, whitespace runs as one space, trimmed.
 */
export function lineForm(line: string): string {
  let form = NON_ASCII.test(line) ? line.normalize('NFKC') : line;
  form = form.toLowerCase();
  if (APOSTROPHE.test(form)) form = form.replace(APOSTROPHES, "'");
  if (IRREGULAR_SPACE.test(form)) form = form.replace(/\s+/g, ' ');
  return form.trim();
}

/** Characters that decorate a line without being part of its words (bullets, arrows, pipes). */
const LEADING_DECORATION = /^[\s•·|»«›‹→←▶►▸◂\-–—*#>¿¡]+/u;
const TRAILING_DECORATION = /[\s•·|»«›‹→←▶►▸◂:.!?…*]+$/u;

/** `lineForm` text without leading bullets, arrows, `¿`/`¡`, nor trailing punctuation. */
export function undecorated(form: string): string {
  return form.replace(LEADING_DECORATION, '').replace(TRAILING_DECORATION, '');
}

const SPACE = /\s/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Words: whitespace-separated tokens holding at least one letter or digit. Counting stops once
 * `limit` is exceeded (the result is then `limit + 1`), so asking "at most n words?" of a long
 * paragraph costs only its first words.
 */
export function wordCount(text: string, limit = Number.POSITIVE_INFINITY): number {
  let count = 0;
  let counted = false; // the current token already holds a letter or digit
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) {
        counted = false;
      } else if (!counted && isAsciiLetterOrDigit(code)) {
        counted = true;
        if (++count > limit) return count;
      }
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? code);
    if (char.length === 2) i++;
    if (SPACE.test(char)) {
      counted = false;
    } else if (!counted && WORD_CHARACTER.test(char)) {
      counted = true;
      if (++count > limit) return count;
    }
  }
  return count;
}

function isAsciiLetterOrDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
