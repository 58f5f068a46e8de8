import type { ArticleInput } from '@newsfold/db';

/** An article as the normalizer hands it over, its fields derived from `guid` unless given. */
export function articleInput(guid: string, overrides: Partial<ArticleInput> = {}): ArticleInput {
  return {
    guid,
    url: `https://outlet.example/${guid}`,
    title: `Title ${guid}`,
    titleKey: `title ${guid}`,
    summary: null,
    contentHtml: null,
    author: null,
    publishedAt: new Date('2026-11-20T10:00:00Z'),
    contentHash: `h-${guid}`,
    ...overrides,
  };
}
