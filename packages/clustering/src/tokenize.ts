import { titleKey } from '@newsfold/text';
import { detectLanguage, stopWords } from './stop-words.js';

// Scripts written without spaces between words: tokenised as overlapping character pairs.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/**
 * A light English stemmer: plural and possessive endings only. Headlines are short, so merging
 * "talks"/"talk" or "strikes"/"strike" matters; heavier stemming merges words that differ.
 */
function stemEnglish(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ch|sh|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is|ws)$/.test(word)) return word.slice(0, -1);
  return word;
}

function splitUnspaced(token: string): string[] {
  if (!UNSPACED.test(token)) return [token];
  const chars = [...token];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

export interface Tokens {
  words: string[];
  language: string;
}

/**
 * Unicode-aware tokens: normalised like a title key (case, diacritics, punctuation), split into
 * words (or character pairs in scripts without spaces), stop words of the text's language
 * removed. The language comes from the feed when it says, else from the words themselves.
 */
export function tokenize(text: string, language?: string | null): Tokens {
  const raw = titleKey(text).split(' ').filter(Boolean).flatMap(splitUnspaced);
  const lang = (language ?? '').toLowerCase().slice(0, 2) || detectLanguage(raw) || 'en';
  const stops = stopWords(lang);
  const acronyms = acronymsIn(text);
  const words: string[] = [];
  for (const word of raw) {
    if (stops.has(word) && !acronyms.has(word)) continue;
    if (word.length < 2 && !UNSPACED.test(word) && !/\p{N}/u.test(word)) continue;
    words.push(lang === 'en' ? stemEnglish(word) : word);
  }
  return { words, language: lang };
}

/**
 * Acronyms written in capitals ("US", "U.S.", "UN", "IT") in a text that is not all capitals:
 * kept even when their lower-case form is a stop word ("us", "it"), because there they name a
 * country or an organisation, which is what tells events apart.
 */
function acronymsIn(text: string): Set<string> {
  const words = text.split(/\s+/).map((w) => w.replace(/^[^\p{L}]+|[^\p{L}.]+$/gu, ''));
  const shouting = (w: string | undefined) => w !== undefined && /^\p{Lu}{2,}$/u.test(w.replace(/\./g, ''));
  const found = new Set<string>();
  for (const [i, w] of words.entries()) {
    const acronym = /^(?:\p{Lu}\.){2,}$/u.test(w) || /^\p{Lu}{2,5}$/u.test(w);
    // A run of capitals ("THE NORTHERN COURIER") is shouting, not an acronym.
    if (acronym && !shouting(words[i - 1]) && !shouting(words[i + 1])) found.add(titleKey(w));
  }
  return found;
}

/**
 * Words written as names in a headline: capitalised, not sentence-initial, in a headline that is
 * not Title Case throughout (where capitals carry no signal). Returned normalised, like tokens.
 */
export function nameWords(title: string, language: string): Set<string> {
  const words = wordsOf(title);
  const long = words.filter((w) => w.length > 3);
  const capitalised = long.filter((w) => /^\p{Lu}/u.test(w));
  if (long.length > 0 && capitalised.length / long.length > 0.6) return new Set();
  return capitalisedAfterFirst(words, language, new Set());
}

function wordsOf(text: string): string[] {
  return text.split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
}

function capitalisedAfterFirst(words: string[], language: string, into: Set<string>): Set<string> {
  for (const [i, w] of words.entries()) {
    if (i === 0 || !/^\p{Lu}/u.test(w)) continue;
    for (const t of tokenize(w, language).words) into.add(t);
  }
  return into;
}

// A sentence ends at . ! ? or … after a word of three or more letters ("Mr. Rubio" and "U.S.
// officials" go on), before a capital; a line break always ends one.
const SENTENCE_END = /(?<=[^\s.]{3}[.!?…]["'”’)]?)\s+(?=["'“‘(]?\p{Lu})|\s*\n\s*/u;

/**
 * Words written as names in running text (a summary): capitalised, not the first of their
 * sentence. A short sentence can be mostly names ("Delegations met in Jeddah on Tuesday"), so the
 * headline's Title Case test does not fit prose; a line is taken for a heading or a byline (capitals
 * carry no signal there) when none of its lower-case words is anything but a stop word.
 */
export function proseNameWords(text: string, language: string): Set<string> {
  const stops = stopWords(language);
  const names = new Set<string>();
  for (const sentence of text.split(SENTENCE_END)) {
    const words = wordsOf(sentence);
    const prose = words.some((w) => /^\p{Ll}/u.test(w) && w.length > 2 && !stops.has(titleKey(w)));
    if (prose) capitalisedAfterFirst(words, language, names);
  }
  return names;
}
