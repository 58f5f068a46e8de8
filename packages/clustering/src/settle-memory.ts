import type { Placement, StoryIndex } from './story-index.js';
import type { SettleArticle, SettleInput } from './settle-groups.js';

/**
 * What a settle pass keeps for the next one: its input, its articles in canonical order, and the
 * index as it stood partway (before `articles[at]` was placed), with the placements before that.
 * A pass over the same input but for articles from `at` on (new ones, mostly the newest) starts
 * from there instead of from scratch: what it decides before `at` would be what was decided, as
 * the same articles come in the same order against the same stories, so the result is the full
 * pass's.
 */
export interface SettleMemory {
  input: Omit<SettleInput, 'articles'>;
  articles: readonly SettleArticle[];
  at: number;
  index: StoryIndex;
  placements: readonly Placement[];
}

/** Whether a pass over `input` may start where `memory` stood: all but the articles the same, and the articles the same up to that point. */
export function canResume(memory: SettleMemory, input: SettleInput, articles: readonly SettleArticle[]): boolean {
  const was = memory.input;
  if (was.documents !== input.documents || was.windowMs !== input.windowMs) return false;
  if (articles.length < memory.at) return false;
  for (let i = 0; i < memory.at; i++) if (!sameArticle(memory.articles[i] as SettleArticle, articles[i] as SettleArticle)) return false;
  return sameDf(was.df, input.df) && samePairs(was.separations, input.separations) && sameFixed(was.fixed, input.fixed);
}

/** Every count the memory's IDF used is still the same (terms may have been added). */
function sameDf(was: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): boolean {
  if (was === now) return true;
  for (const [term, n] of was) if (now.get(term) !== n) return false;
  return true;
}

function samePairs(a: SettleInput['separations'], b: SettleInput['separations']): boolean {
  const key = (pairs: SettleInput['separations']) => pairs.map(([x, y]) => (x < y ? `${x} ${y}` : `${y} ${x}`)).sort().join(',');
  return a.length === b.length && key(a) === key(b);
}

function sameFixed(a: SettleInput['fixed'], b: SettleInput['fixed']): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((s) => [s.storyId, s.articles]));
  for (const story of a) {
    const other = byId.get(story.storyId);
    if (!other || other.length !== story.articles.length) return false;
    const mine = new Map(story.articles.map((x) => [x.id, x]));
    for (const x of other) {
      const y = mine.get(x.id);
      if (!y || !sameArticle(x, y)) return false;
    }
  }
  return true;
}

/** The same article as placing reads it: time, headline, tie-break, terms and signature. */
export function sameArticle(a: SettleArticle, b: SettleArticle): boolean {
  if (a === b) return true;
  if (a.id !== b.id || a.eventAt.getTime() !== b.eventAt.getTime() || a.titleKey !== b.titleKey || a.tieBreak !== b.tieBreak) return false;
  const sa = a.features.signature;
  const sb = b.features.signature;
  if (sa.length !== sb.length || sa.some((v, i) => v !== sb[i])) return false;
  const ta = Object.keys(a.features.terms);
  if (ta.length !== Object.keys(b.features.terms).length) return false;
  return ta.every((t) => a.features.terms[t] === b.features.terms[t]);
}
