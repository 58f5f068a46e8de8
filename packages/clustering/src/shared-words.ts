import { tokenize } from './tokenize.js';

/**
 * For each headline of a story, its words, as written, whose terms the story's other headlines use
 * too, those more headlines share first (then in headline order), each term once: what a reader can
 * check a story's folding by ("Jeddah", "Rubio", "talks"). Each headline is tokenised once.
 */
export function sharedWords(titles: readonly string[], language = 'en', max = 4): string[][] {
  const termsOf = titles.map((t) => new Set(tokenize(t, language).words));
  const using = new Map<string, number>();
  for (const terms of termsOf) for (const term of terms) using.set(term, (using.get(term) ?? 0) + 1);
  return titles.map((title, i) => {
    const own = termsOf[i] as Set<string>;
    const found: { word: string; term: string; count: number; at: number }[] = [];
    title.split(/\s+/).forEach((raw, at) => {
      const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').replace(/['’]s$/u, '');
      const term = word ? tokenize(word, language).words[0] : undefined;
      if (term === undefined || !own.has(term) || found.some((f) => f.term === term)) return;
      // Headlines other than this one that use the term.
      const count = (using.get(term) ?? 0) - 1;
      if (count > 0) found.push({ word, term, count, at });
    });
    return found
      .sort((a, b) => b.count - a.count || a.at - b.at)
      .slice(0, max)
      .map((f) => f.word);
  });
}
