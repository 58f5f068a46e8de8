import { describe, expect, it } from 'vitest';
import { articleFeatures, NAME_BOOST, SUMMARY_TOKENS, SUMMARY_WEIGHT, TITLE_WEIGHT } from './features.js';
import { SIGNATURE_SIZE } from './minhash.js';

describe('articleFeatures', () => {
  it('weighs headline words over summary words', () => {
    const { terms } = articleFeatures({ title: 'Storm closes harbour', summary: 'Gale-force winds forced the harbour to close' });
    expect(terms).toEqual({
      storm: TITLE_WEIGHT,
      close: TITLE_WEIGHT + SUMMARY_WEIGHT,
      harbour: TITLE_WEIGHT + SUMMARY_WEIGHT,
      gale: SUMMARY_WEIGHT,
      force: SUMMARY_WEIGHT,
      wind: SUMMARY_WEIGHT,
      forced: SUMMARY_WEIGHT,
    });
    expect(TITLE_WEIGHT).toBeGreaterThan(SUMMARY_WEIGHT);
  });

  it('counts only the summary’s opening words', () => {
    const words = Array.from({ length: SUMMARY_TOKENS + 10 }, (_, i) => `word${i}`);
    const { terms } = articleFeatures({ title: 'Harbour closes', summary: words.join(' ') });
    expect(terms[`word${SUMMARY_TOKENS - 1}`]).toBe(SUMMARY_WEIGHT);
    expect(terms[`word${SUMMARY_TOKENS}`]).toBeUndefined();
  });

  it('boosts names in a sentence-case headline, not its first word', () => {
    const { terms } = articleFeatures({ title: 'Rubio says he will listen to proposals at Jeddah meeting' });
    expect(terms.jeddah).toBe(TITLE_WEIGHT * NAME_BOOST);
    expect(terms.rubio).toBe(TITLE_WEIGHT);
    expect(terms.listen).toBe(TITLE_WEIGHT);
  });

  it('boosts nothing in a Title Case headline', () => {
    const { terms } = articleFeatures({ title: 'Rubio Says He Will Listen To Proposals At Jeddah Meeting' });
    expect(terms.jeddah).toBe(TITLE_WEIGHT);
    expect(new Set(Object.values(terms))).toEqual(new Set([TITLE_WEIGHT]));
  });

  it('never boosts summary words, capitalised or not', () => {
    const { terms } = articleFeatures({ title: 'Talks begin', summary: 'Delegations met in Jeddah on Tuesday' });
    expect(terms.jeddah).toBe(SUMMARY_WEIGHT);
  });

  it('reads the summary in the headline’s language', () => {
    const f = articleFeatures({ title: 'Les négociations de Djeddah sont terminées', summary: 'Les délégations sont parties' });
    expect(f.language).toBe('fr');
    expect(f.terms).toEqual({ negociations: 1, djeddah: 1.5, terminees: 1, delegations: 0.5, parties: 0.5 });
    expect(articleFeatures({ title: 'Die Hard returns', language: 'en' }).terms).toEqual({ die: 1, hard: 1.5, return: 1 });
  });

  it('signs texts long enough to judge copying, and only those', () => {
    expect(articleFeatures({ title: 'Storm closes harbour' }).signature).toEqual([]);
    const long = articleFeatures({
      title: 'Storm Brennan closes harbour',
      summary: 'Ferries were cancelled and coastal roads closed as forecasters issued an amber warning for gusts of 90mph.',
    });
    expect(long.signature).toHaveLength(SIGNATURE_SIZE);
  });
});
