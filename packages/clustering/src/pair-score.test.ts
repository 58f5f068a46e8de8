import { describe, expect, it } from 'vitest';
import { eventScore, pairFeatures, RICH_TERMS, type PairText } from './pair-score.js';

function text(terms: Record<string, number>, names: string[] = []): PairText {
  return { vector: new Map(Object.entries(terms)), names: new Set(names) };
}

/** A text with a summary: RICH_TERMS terms or more, `shared` among them. */
function rich(shared: Record<string, number>, own: string, names: string[] = []): PairText {
  const terms: Record<string, number> = { ...shared };
  for (let i = 0; Object.keys(terms).length < RICH_TERMS; i++) terms[`${own}${i}`] = 1;
  return text(terms, names);
}

describe('pairFeatures', () => {
  it('splits what two texts share into names and the rest', () => {
    const a = text({ ekdahl: 2, border: 1, visit: 1 }, ['ekdahl']);
    const b = text({ ekdahl: 2, border: 1, inflation: 1 }, ['ekdahl']);
    const f = pairFeatures(a, b);
    expect(f.names).toBeCloseTo(1);
    // Beyond the name: border shared, visit and inflation not.
    expect(f.content).toBeCloseTo(0.5);
    expect(f.sharedContent).toBeCloseTo(1 / 3);
    expect(f.cosine).toBeCloseTo(5 / 6);
  });

  it('counts a term as a name when either text writes it as one', () => {
    const f = pairFeatures(text({ lind: 1, subpoena: 1 }, ['lind']), text({ lind: 1, subpoena: 1 }));
    expect(f.sharedContent).toBeCloseTo(1 / 3);
  });

  it('tells shared numbers from different ones, and leaves years out', () => {
    expect(pairFeatures(text({ 343: 1, drone: 1 }), text({ 343: 1, drone: 1 })).numbers).toBe(1);
    expect(pairFeatures(text({ 343: 1, drone: 1 }), text({ 126: 1, drone: 1 })).numbers).toBe(-1);
    expect(pairFeatures(text({ 2026: 1, drone: 1 }), text({ 2025: 1, drone: 1 })).numbers).toBe(0);
  });

  it('is symmetric', () => {
    const a = text({ ekdahl: 2, border: 1, visit: 1, 40: 1 }, ['ekdahl']);
    const b = text({ ekdahl: 1, border: 3, wall: 1 }, ['border']);
    expect(pairFeatures(a, b)).toEqual(pairFeatures(b, a));
  });
});

describe('eventScore', () => {
  it('gives nothing to two texts with summaries that share a name and one word', () => {
    const a = rich({ ekdahl: 3, border: 1 }, 'a', ['ekdahl']);
    const b = rich({ ekdahl: 3, border: 1 }, 'b', ['ekdahl']);
    expect(pairFeatures(a, b).cosine).toBeGreaterThan(0.2);
    expect(eventScore(a, b)).toBe(0);
  });

  it('keeps the cosine when they agree beyond names', () => {
    const a = rich({ ekdahl: 3, border: 1, wall: 1 }, 'a', ['ekdahl']);
    const b = rich({ ekdahl: 3, border: 1, wall: 1 }, 'b', ['ekdahl']);
    expect(eventScore(a, b)).toBeCloseTo(pairFeatures(a, b).cosine);
  });

  it('leaves headlines to the cosine: they have too few words for the rule', () => {
    const a = text({ ekdahl: 3, border: 1, visit: 1 }, ['ekdahl']);
    const b = text({ ekdahl: 3, border: 1, speech: 1 }, ['ekdahl']);
    expect(eventScore(a, b)).toBeCloseTo(pairFeatures(a, b).cosine);
    expect(eventScore(a, b)).toBeGreaterThan(0);
  });
});
