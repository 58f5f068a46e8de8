import { isBoilerplateLine, MAX_BOILERPLATE_LENGTH, SENTENCE_BREAK } from './boilerplate-line.js';
import { isImageCreditLine } from './image-credit-line.js';
import { lineForm, wordCount } from './line-form.js';
import { isTimestampLine } from './timestamp-line.js';
import { titleKey } from './title-key.js';

export interface CleanArticleTextOptions {
  /** The article's headline: lines repeating it are dropped. */
  title?: string | null;
}

/** A line repeated within this many kept blocks of the start is dropped whatever its length. */
const EARLY_BLOCKS = 6;

/** A line this long repeated anywhere is dropped (a pasted-twice paragraph or pull quote). */
const LONG_LINE_WORDS = 8;

/** A trailing bracketed credit or note, ignored when comparing lines: "… outside Moscow (AP)". */
const TRAILING_BRACKETS = /\s*[([][^()[\]]{1,60}[)\]]\s*$/u;

const SENTENCE_END = /(?<=[.!?…。！？])\s+/u;

const PUNCTUATION_RUNS = /[\p{P}\p{S}\s]+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;


/** Lines up to this long are compared normalised (`repeatKey`); longer ones as printed. */
const MAX_NORMALISED_LENGTH = 200;

/**
 * Drops the boilerplate that scraped and syndicated article text carries and keeps the article's
 * own sentences. `text` is plain text with one block per line (as `htmlToText` produces); the
 * result has the same shape, blank-line runs collapsed and trimmed.
 *
 * Line by line, it drops:
 * - site chrome: log-in and comment forms, legal and cookie notices, share/subscribe/"read more"
 *   buttons, WordPress "The post … appeared first on …", copyright lines, script residue (see
 *   `isBoilerplateLine`; English, French, German and Spanish phrases);
 * - lines that are only a date/time stamp (`isTimestampLine`) or an image credit
 *   (`isImageCreditLine`); bylines stay;
 * - lines repeating the headline (`options.title`, compared with `titleKey`: case, punctuation
 *   and spacing do not matter), wherever they are;
 * - repeats: a line equal to the previous kept line (a caption printed twice, even with a
 *   bracketed credit on one copy only), to any earlier line within the first few blocks, or to
 *   any earlier line of eight words or more; and within a line, a sentence printed twice in a row.
 *
 * Text in other languages passes through untouched apart from repeats and the headline. Each
 * decision depends only on the line and the lines kept before it, so cleaning is idempotent.
 * Linear in the input; never throws.
 */
export function cleanArticleText(text: string, options: CleanArticleTextOptions = {}): string {
  if (typeof text !== 'string' || text === '') return '';
  const headline = typeof options.title === 'string' ? headlineOf(options.title) : null;
  const out: string[] = [];
  const seen = new Set<string>();
  // Lines recur (chrome on every page of a capture, captions): each is judged once.
  const verdicts = new Map<string, string | null>();
  let previous = '';
  let kept = 0;

  for (const raw of text.split(/\r\n?|\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '') {
      out.push('');
      continue;
    }
    const line = withoutRepeatedSentences(trimmed);
    let key = verdicts.get(line);
    if (key === undefined) {
      key = verdict(line, headline);
      verdicts.set(line, key);
    }
    if (key === null) continue;
    if (key !== '') {
      if (key === previous) continue;
      if (seen.has(key) && (kept < EARLY_BLOCKS || wordCount(line, LONG_LINE_WORDS) >= LONG_LINE_WORDS)) continue;
      seen.add(key);
    }
    previous = key;
    kept++;
    out.push(line);
  }
  return joinBlocks(out);
}

/**
 * null when the line goes whatever came before it (chrome, a stamp, a credit, the headline),
 * else its `repeatKey`.
 */
function verdict(line: string, headline: Headline | null): string | null {
  const form = line.length <= MAX_BOILERPLATE_LENGTH ? lineForm(line) : null;
  if (form !== null) {
    if (isBoilerplateLine(line, form) || isTimestampLine(line, form) || isImageCreditLine(line, form)) return null;
    if (headline !== null && isHeadline(line, form, headline)) return null;
  }
  return repeatKey(line, form);
}

interface Headline {
  key: string;
  /** Letters and digits in `key`: a cheap test that rules out most lines before `titleKey`. */
  letters: number;
}

function headlineOf(title: string): Headline | null {
  const key = titleKey(title);
  return key === '' ? null : { key, letters: letterCount(key) };
}

function isHeadline(line: string, form: string, headline: Headline): boolean {
  if (Math.abs(letterCount(form) - headline.letters) <= 2 && titleKey(line) === headline.key) return true;
  if (!hasTrailingBrackets(line)) return false;
  const withoutCredit = line.replace(TRAILING_BRACKETS, '');
  return titleKey(withoutCredit) === headline.key;
}

function hasTrailingBrackets(line: string): boolean {
  return (line.endsWith(')') || line.endsWith(']')) && TRAILING_BRACKETS.test(line);
}

function letterCount(text: string): number {
  return text.replace(NOT_LETTER_OR_DIGIT, '').length;
}

/**
 * What "the same line" compares: the line without a trailing bracketed credit, in `lineForm`
 * with punctuation and symbols as spaces. Long paragraphs are compared as printed: normalising
 * them costs more than it finds.
 */
function repeatKey(line: string, form: string | null): string {
  if (form === null || line.length > MAX_NORMALISED_LENGTH) return `\u0000${line}`;
  const bare = hasTrailingBrackets(line) ? lineForm(line.replace(TRAILING_BRACKETS, '')) : form;
  return bare.replace(PUNCTUATION_RUNS, ' ').trim();
}

/**
 * The line with a sentence printed twice in a row kept once: "A. A. B." → "A. B.", and a line
 * that is one text printed twice ("Caption Caption", "CaptionCaption") halved. Only repeats of at
 * least three words count, so "Ha ha." or "Very, very." are left alone.
 */
function withoutRepeatedSentences(line: string): string {
  // Repeated until nothing changes ("A. A. B. A. B." → "A. B. A. B." → "A. B."), so that the
  // result is a fixed point and cleaning stays idempotent; every round shortens the line.
  for (let current = line; ; ) {
    const next = repeatedHalf(current) ?? withoutRepeatedNeighbours(current);
    if (next === current) return current;
    current = next;
  }
}

function withoutRepeatedNeighbours(line: string): string {
  if (!SENTENCE_BREAK.test(line)) return line;
  const sentences = line.split(SENTENCE_END);
  if (sentences.length < 2) return line;
  const kept: string[] = [];
  for (const sentence of sentences) {
    if (sentence === kept[kept.length - 1] && wordCount(sentence, 3) >= 3) continue;
    kept.push(sentence);
  }
  return kept.length === sentences.length ? line : kept.join(' ');
}

function repeatedHalf(line: string): string | null {
  const length = line.length;
  if (length < 10) return null;
  const half = Math.floor(length / 2);
  const second = length % 2 === 0 ? half : half + 1;
  if (second !== half && line[half] !== ' ') return null;
  for (let i = 0; i < half; i++) if (line.charCodeAt(i) !== line.charCodeAt(second + i)) return null;
  const text = line.slice(0, half).trim();
  return wordCount(text, 3) >= 3 ? text : null;
}

/** Blocks joined with newlines: no leading or trailing blank lines, never two in a row. */
function joinBlocks(lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
