import { addTerms, articleFeatures, CENTROID_TERMS, decideStory, truncateTerms, idfFromCounts, type ArticleFeatures, type Idf, type StoryDecision } from '@newsfold/clustering';
import {
  assignArticle,
  candidateStoryIds,
  createStory,
  documentCount,
  inheritSeparations,
  loadCandidateStories,
  lockUnassignedArticle,
  moveStoryArticles,
  recordTermStats,
  refreshStories,
  sameTitleStoryIds,
  saveStoryTerms,
  separatedPairs,
  separationKey,
  termStats,
  type Pool,
  type Queryable,
  type UnassignedArticle,
} from '@newsfold/db';
import { oldestStory } from './corrections.js';
import { withStoryWrite } from './story-write.js';

/**
 * Candidate retrieval: an article's QUERY_TERMS strongest terms each bring their STORIES_PER_TERM
 * most recent stories; the CANDIDATES sharing the most weight are scored. Fixed bounds, so the
 * cost per article does not grow with the window (see `pnpm bench cluster --scale`).
 */
const QUERY_TERMS = 8;
const STORIES_PER_TERM = 50;
const CANDIDATES = 64;

/** The stories an article's terms bring from the term index since `since` (see above). */
export function retrieveCandidates(db: Queryable, terms: Readonly<Record<string, number>>, idf: Idf, since: Date): Promise<string[]> {
  const query = Object.keys(terms)
    .map((term) => ({ term, weight: (terms[term] ?? 0) * idf(term) }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
    .slice(0, QUERY_TERMS);
  return candidateStoryIds(db, query, since, { perTerm: STORIES_PER_TERM, limit: CANDIDATES });
}

export interface PlaceOptions {
  windowMs: number;
}

export interface Assignment {
  storyId: string;
  decision: StoryDecision;
}

function featuresOf(article: UnassignedArticle): ArticleFeatures {
  if (article.features) {
    return { terms: article.features, language: article.language ?? 'en', signature: article.signature ?? [] };
  }
  return articleFeatures({ title: article.title, summary: article.summary, language: article.language });
}

/**
 * Places one article in a story: retrieve candidates from the term index (a bounded read, never a
 * scan of the window), score them in TypeScript (packages/clustering), join the best or start a
 * new story, and fold in stories the article bridges.
 *
 * Concurrency: one story write, so placements run one at a time across every normalizer replica
 * and two replicas can never each start a story for the same event or merge the same stories
 * twice. Everything else a normalizer does (parsing, cleaning, article upserts) stays parallel;
 * this step is a few milliseconds. The article row is re-checked under the lock, so a replayed
 * job does nothing.
 */
export async function placeArticle(pool: Pool, article: UnassignedArticle, options: PlaceOptions): Promise<Assignment | null> {
  return withStoryWrite(pool, async (tx) => {
    if (!(await lockUnassignedArticle(tx, article.id))) return null;
    const features = featuresOf(article);
    const terms = Object.keys(features.terms);
    const own = { df: await recordTermStats(tx, terms), documents: await documentCount(tx) };
    const since = new Date(article.eventAt.getTime() - options.windowMs);
    const ids = [
      ...new Set([
        ...(await retrieveCandidates(tx, features.terms, idfFromCounts(own.df, own.documents), since)),
        ...(await sameTitleStoryIds(tx, article.titleKey, article.eventAt, options.windowMs)),
      ]),
    ];
    const candidates = await loadCandidateStories(tx, ids);
    const ownTerms = new Set(terms);
    const centroidTerms = [...new Set(candidates.flatMap((c) => Object.keys(c.centroid)))].filter((t) => !ownTerms.has(t));
    const more = await termStats(tx, centroidTerms, own.documents);
    const idf = idfFromCounts(new Map([...own.df, ...more.df]), own.documents);
    const separations = await separatedPairs(tx, ids);
    const decision = decideStory({ features, titleKey: article.titleKey, eventAt: article.eventAt }, candidates, idf, {
      windowMs: options.windowMs,
      separated: (a, b) => separations.has(separationKey(a, b)),
    });

    const chosen = decision.storyId ?? (await createStory(tx, { articleId: article.id, title: article.title, eventAt: article.eventAt }));
    const group = [chosen, ...decision.merges.map((m) => m.storyId)];
    const survivor = oldestStory(group);
    const centroid: Record<string, number> = {};
    for (const id of group) addTerms(centroid, candidates.find((c) => c.storyId === id)?.centroid ?? {});
    addTerms(centroid, features.terms);
    const absorbed = group.filter((id) => id !== survivor);
    for (const id of absorbed) {
      const score = id === chosen ? decision.score : (decision.merges.find((m) => m.storyId === id)?.score ?? 0);
      await moveStoryArticles(tx, id, survivor, `merged: ${score.toFixed(2)}`, score);
    }
    // An absorbed story's admin separations now bind the survivor.
    if (absorbed.length > 0) await inheritSeparations(tx, absorbed, survivor, group);
    await assignArticle(tx, article.id, { storyId: survivor, score: decision.score, reason: decision.reason });
    await saveStoryTerms(tx, survivor, truncateTerms(centroid, CENTROID_TERMS), terms, article.eventAt);
    await refreshStories(tx, group);
    return { storyId: survivor, decision };
  });
}
