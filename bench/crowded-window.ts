import { articleFeatures, bcubed, CANDIDATES, StoryIndex, type ArticleToIndex } from '@newsfold/clustering';
import { titleKey } from '@newsfold/text';
import { stsHeadlines, uciHeadlines } from './corpora.js';
import { printTable } from './table.js';

const HOUR = 3_600_000;
const SPAN = 36 * HOUR;
const CAPS = [16, 32, 64];

interface Labelled extends ArticleToIndex {
  story: string | null;
}

/**
 * The UCI headlines spread over 36 hours among the STS-B headlines (other events, other years,
 * spread over the same hours): a window where an article's query terms bring more stories than
 * are scored, which the UCI day alone is too small for. Placed in memory in time order.
 */
function crowd(): Labelled[] {
  const others = stsHeadlines();
  const uci = uciHeadlines();
  const start = Date.UTC(2026, 0, 1);
  const article = (id: string, title: string, at: number, story: string | null): Labelled => ({
    id,
    features: articleFeatures({ title, language: 'en' }),
    titleKey: titleKey(title),
    eventAt: new Date(at),
    story,
  });
  return [
    ...others.map((t, i) => article(String(i + 1), t, start + Math.floor((i * SPAN) / others.length), null)),
    ...uci.map((h, i) => article(String(1_000_000 + h.id), h.title, start + Math.floor((i * SPAN) / uci.length) + 1, h.story)),
  ].sort((a, b) => a.eventAt.getTime() - b.eventAt.getTime() || Number(a.id) - Number(b.id));
}

function place(articles: readonly Labelled[], candidates: number): { score: ReturnType<typeof bcubed>; capped: number } {
  let next = 10_000_000;
  const index = new StoryIndex({
    windowMs: 72 * HOUR,
    complete: true,
    candidates,
    newStoryId: () => String(next++),
    compareAge: (a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0),
  });
  index.count(articles);
  const storyOf = new Map<string, string>();
  const survivor = new Map<string, string>();
  let capped = 0;
  for (const a of articles) {
    // Retrieval brought more stories than are scored (candidateIds keeps `candidates` of them, plus same-headline ones).
    if (a.story !== null && index.candidateIds(a).length >= candidates) capped += 1;
    const placed = index.place(a);
    storyOf.set(a.id, placed.storyId);
    for (const m of placed.merged) survivor.set(m.storyId, placed.storyId);
  }
  const final = (id: string) => {
    let story = storyOf.get(id) ?? `missing-${id}`;
    for (let next = survivor.get(story); next !== undefined; next = survivor.get(story)) story = next;
    return story;
  };
  const labelled = articles.filter((a) => a.story !== null);
  return { score: bcubed(labelled.map((a) => final(a.id)), labelled.map((a) => a.story as string)), capped: capped / labelled.length };
}

/** `pnpm bench cluster`, third table: B-cubed of the UCI headlines in a crowded window, by how many candidate stories are scored. */
export function crowdedWindow(): void {
  const articles = crowd();
  const uci = articles.filter((a) => a.story !== null).length;
  console.log(
    `\nThe UCI headlines in a crowded window (${uci} among ${articles.length - uci} STS-B headlines, all over 36 hours; placed in memory; B-cubed of the UCI ones)\n`,
  );
  printTable(
    ['stories scored per article', 'precision', 'recall', 'F1', 'UCI articles whose retrieval was cut'],
    CAPS.map((cap) => {
      const { score, capped } = place(articles, cap);
      return [cap === CANDIDATES ? `${cap} (CANDIDATES)` : cap, score.precision, score.recall, score.f1, capped];
    }),
  );
}
