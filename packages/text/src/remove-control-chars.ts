/**
 * Characters that must never reach storage or output: C0/C1 controls other than tab, line feed
 * and carriage return (Postgres rejects NUL in text; XML 1.0 forbids the rest), DEL, the
 * noncharacters U+FFFE/U+FFFF, invisible characters feeds leak into text (the byte order mark
 * U+FEFF, zero-width space U+200B, the soft hyphen U+00AD), and the bidirectional embeddings and
 * overrides U+202A–U+202E, which can make a headline display as something else ("gpj.exe"
 * reversed); right-to-left text needs none of them.
 */
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u202A-\u202E\uFEFF\uFFFE\uFFFF]/g;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Removes control and invisible characters and replaces lone UTF-16 surrogates with U+FFFD, so the
 * result is well-formed Unicode that Postgres, JSON and XML all accept. Tab, LF and CR are kept
 * (callers treat them as whitespace).
 */
export function removeControlChars(text: string): string {
  return text.replace(UNWANTED, '').replace(LONE_SURROGATE, '\uFFFD');
}

// C0 controls other than tab and line breaks, and DEL: Postgres refuses NUL, and none belong in a
// name a person types (a title, a tag), which is refused rather than silently cleaned.
const TYPED_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Whether `text` holds a control character that a title or tag given to the API or CLI may not. */
export function hasControlChars(text: string): boolean {
  return TYPED_CONTROL.test(text);
}
