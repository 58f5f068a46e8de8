import type { Placement } from './story-index.js';

/**
 * Where each placement's story ended up once every later merge is followed (a story may be folded
 * into another by a later placement, and that one into a third): article id → final story id, and
 * story id → the story it was folded into last, with the score that folded it.
 */
export function resolveMerges(placements: readonly Placement[]): {
  storyOf: Map<string, string>;
  mergedInto: Map<string, { into: string; score: number }>;
  final: (storyId: string) => string;
} {
  const mergedInto = new Map<string, { into: string; score: number }>();
  for (const p of placements) for (const m of p.merged) mergedInto.set(m.storyId, { into: p.storyId, score: m.score });
  const final = (id: string): string => {
    let at = id;
    for (let next = mergedInto.get(at); next; next = mergedInto.get(at)) at = next.into;
    return at;
  };
  return { storyOf: new Map(placements.map((p) => [p.articleId, final(p.storyId)])), mergedInto, final };
}
