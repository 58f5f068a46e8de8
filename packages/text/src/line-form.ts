/**
 * A line of text in the form the boilerplate, timestamp and credit matchers compare: NFKC,
 * lower case, typographic apostrophes as `'`, whitespace runs as one space, trimmed.
 */
export function lineForm(line: string): string {
  return line
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Characters that decorate a line without being part of its words (bullets, arrows, pipes). */
const LEADING_DECORATION = /^[\s•·|»«›‹→←▶►▸◂\-–—*#>¿¡]+/u;
const TRAILING_DECORATION = /[\s•·|»«›‹→←▶►▸◂:.!?…*]+$/u;

/** `lineForm` text without leading bullets, arrows, `¿`/`¡`, nor trailing punctuation. */
export function undecorated(form: string): string {
  return form.replace(LEADING_DECORATION, '').replace(TRAILING_DECORATION, '');
}

/** Words: whitespace-separated tokens holding at least one letter or digit. */
export function wordCount(text: string): number {
  let count = 0;
  for (const token of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(token)) count++;
  return count;
}
