import { articleFeatures } from '@newsfold/clustering';
import { describe, expect, it } from 'vitest';
import { toIndexable } from './indexable.js';

const stored = {
  id: '1',
  title: "Red Bull lead the constructors' championship",
  summary: null,
  language: 'en',
  titleKey: 'red bull lead the constructors championship',
  eventAt: new Date('2026-11-20T00:00:00Z'),
  signature: [1, 2, 3],
};

describe('toIndexable', () => {
  it('reads the stored features when every weight is a number', () => {
    const features = { red: 1, bull: 1.5 };
    expect(toIndexable({ ...stored, features }).features).toEqual({ terms: features, language: 'en', signature: [1, 2, 3] });
  });

  it('computes them from the text when a stored weight is not a number (as "constructor" was once stored)', () => {
    const corrupt = { red: 1, constructor: 'function Object() { [native code] }1' } as unknown as Record<string, number>;
    const { features } = toIndexable({ ...stored, features: corrupt });
    expect(features).toEqual(articleFeatures({ title: stored.title, language: 'en' }));
    expect(typeof features.terms.constructor).toBe('number');
  });
});
