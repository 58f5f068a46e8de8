import { allFinite, articleFeatures, type ArticleToIndex } from '@newsfold/clustering';

/** A stored article as the placing rule reads it. */
export interface StoredArticle {
  id: string;
  title: string;
  summary: string | null;
  language: string | null;
  titleKey: string;
  eventAt: Date;
  features: Record<string, number> | null;
  signature: number[] | null;
}

/**
 * Its stored features, or (an article stored before features were, or whose stored weights are
 * not all numbers: the word "constructor" was once stored as text) computed from its text now.
 */
export function toIndexable(article: StoredArticle): ArticleToIndex {
  const features = hasUsableFeatures(article)
    ? { terms: article.features, language: article.language ?? 'en', signature: article.signature ?? [] }
    : articleFeatures({ title: article.title, summary: article.summary, language: article.language });
  return { id: article.id, features, titleKey: article.titleKey, eventAt: article.eventAt };
}

/** Whether placing reads the article's stored features (else it computes them from its text). */
export function hasUsableFeatures(article: StoredArticle): article is StoredArticle & { features: Record<string, number> } {
  return !!article.features && typeof article.features === 'object' && allFinite(article.features);
}
