import type { Placement, StoryIndex } from './story-index.js';
import type { SettleArticle, SettleInput } from './settle-groups.js';

/**
 * What a settle pass keeps for the next one: its input, its articles in canonical order, and the
 * index as it stood at a few points partway, each with the placements before it. A pass over the
 * same input but for articles from a point on (new ones, mostly the newest) starts from there
 * instead of from scratch: what it decides before the point would be what was decided, as the
 * same articles come in the same order against the same stories, so the result is the full
 * pass's.
 */
export interface SettleMemory {
  input: Omit<SettleInput, 'articles'>;
  articles: readonly SettleArticle[];
  /** Earliest first. */
  points: readonly SettlePoint[];
}

/** The index as it stood before `articles[at]` was placed, and the placements before that. */
export interface SettlePoint {
  at: number;
  index: StoryIndex;
  placements: readonly Placement[];
}

/**
 * The latest point of `memory` a pass over `input` may start from: all but the articles the same,
 * and the articles the same up to that point. Null: none, the pass starts from scratch.
 */
export function resumePoint(memory: SettleMemory, input: SettleInput, articles: readonly SettleArticle[]): SettlePoint | null {
  const was = memory.input;
  if (was.documents !== input.documents || was.windowMs !== input.windowMs) return null;
  const last = memory.points.at(-1)?.at ?? 0;
  let same = 0;
  while (same < last && same < articles.length && sameArticle(memory.articles[same] as SettleArticle, articles[same] as SettleArticle)) same += 1;
  const point = memory.points.findLast((p) => p.at <= same);
  if (!point) return null;
  return sameDf(was.df, input.df) && samePairs(was.separations, input.separations) && sameFixed(was.fixed, input.fixed) ? point : null;
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
