import {
  COPYRIGHT_END,
  COPYRIGHT_START,
  LINE_PATTERN,
  SCRIPT_RESIDUE,
  SENTENCE_PATTERN,
  SHORT_EXACT_PATTERN,
  SHORT_PREFIX_PATTERN,
} from './boilerplate-phrases.js';
import { lineForm, undecorated, wordCount } from './line-form.js';

/** Longer lines are prose (or data), never a button or a notice. */
export const MAX_BOILERPLATE_LENGTH = 600;
const MAX_COPYRIGHT_WORDS = 25;

/** "Short" items (matched by prefix or as `|`-separated lists) have at most this many words. */
const SHORT_WORDS = 4;

/** Items of a navigation-like line: `Log in | Register`, `Privacy · Terms`, `Share / Print`. */
const ITEM_SEPARATOR = /\s*[|•·]\s*|\s+\/\s+/u;

/** Sentence ends, followed by a space (Latin, and CJK full stops). */
const SENTENCE_END = /(?<=[.!?…。！？])\s+/gu;
export const SENTENCE_BREAK = /[.!?…。！？]\s/u;

/**
 * Whether one line (block) of article text is site chrome rather than the article's own words:
 * a log-in or comment prompt, a legal or cookie notice, a share/subscribe/"read more" button,
 * a WordPress "The post … appeared first on …" footer, a copyright line or script residue.
 *
 * A line of at most four words is chrome when it is a known phrase, a list of them, or starts
 * with an unambiguous one ("Log in to comment"). A longer line is chrome only when every one of
 * its sentences is a known chrome sentence ("Your email address will not be published. Required
 * fields are marked *"): a real sentence that merely mentions subscribing or privacy never is.
 * Lines in other languages than English, French, German and Spanish never match.
 *
 * `form` is `lineForm(line)` when the caller already has it.
 */
export function isBoilerplateLine(line: string, form?: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.length > MAX_BOILERPLATE_LENGTH) return false;
  if (SCRIPT_RESIDUE.test(trimmed)) return true;

  const bare = undecorated(form ?? lineForm(trimmed));
  if (bare === '') return false;
  if (LINE_PATTERN.test(bare) || SENTENCE_PATTERN.test(bare) || isCopyright(bare)) return true;
  if (wordCount(bare, SHORT_WORDS) <= SHORT_WORDS && isShortChrome(bare)) return true;
  return SENTENCE_BREAK.test(bare) && everySentence(bare, isChromeSentence);
}

/** Whether `test` holds for every sentence of `text`; stops at the first that fails. */
function everySentence(text: string, test: (sentence: string) => boolean): boolean {
  SENTENCE_END.lastIndex = 0;
  let start = 0;
  for (let match = SENTENCE_END.exec(text); match !== null; match = SENTENCE_END.exec(text)) {
    if (!test(text.slice(start, match.index))) return false;
    start = match.index + match[0].length;
  }
  return test(text.slice(start));
}

function isCopyright(bare: string): boolean {
  return (
    (COPYRIGHT_START.test(bare) || COPYRIGHT_END.test(bare.slice(-40))) &&
    wordCount(bare, MAX_COPYRIGHT_WORDS) <= MAX_COPYRIGHT_WORDS
  );
}

function isChromeSentence(sentence: string): boolean {
  const bare = undecorated(sentence);
  if (bare === '') return true;
  if (SENTENCE_PATTERN.test(bare)) return true;
  return wordCount(bare, SHORT_WORDS) <= SHORT_WORDS && isShortChrome(bare);
}

function isShortChrome(bare: string): boolean {
  if (SHORT_PREFIX_PATTERN.test(bare) || SHORT_EXACT_PATTERN.test(bare)) return true;
  if (!ITEM_SEPARATOR.test(bare)) return false;
  return bare.split(ITEM_SEPARATOR).every((item) => {
    const part = undecorated(item);
    return part !== '' && SHORT_EXACT_PATTERN.test(part);
  });
}
