import { describe, expect, it } from 'vitest';
import { articleFeatures, NAME_BOOST, SUMMARY_NAME_WEIGHT, SUMMARY_TOKENS, SUMMARY_WEIGHT, TITLE_WEIGHT } from './features.js';
import { SIGNATURE_SIZE } from './minhash.js';

describe('articleFeatures', () => {
  it('weighs words every object has a property for as any other word', () => {
    const { terms } = articleFeatures({ title: "Red Bull lead the constructors' championship", summary: 'The constructor leads by 40 points' });
    expect(terms.constructor).toBe(TITLE_WEIGHT + SUMMARY_WEIGHT);
    for (const w of Object.values(terms)) expect(typeof w).toBe('number');
  });

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

  it('weighs a name in the summary like a name in the headline, other summary words less', () => {
    const { terms } = articleFeatures({
      title: 'Talks begin',
      summary: 'Delegations met in Jeddah on Tuesday. Andriy Yermak leads the Ukrainian side, Mr. Rubio the American one.',
    });
    expect(SUMMARY_NAME_WEIGHT).toBe(TITLE_WEIGHT * NAME_BOOST);
    for (const name of ['jeddah', 'tuesday', 'yermak', 'ukrainian', 'rubio', 'american']) expect(terms[name], name).toBe(SUMMARY_NAME_WEIGHT);
    // A sentence's first word is capitalised whatever it is.
    expect(terms.delegations ?? terms.delegation).toBe(SUMMARY_WEIGHT);
    expect(terms.andriy).toBe(SUMMARY_WEIGHT);
    expect(terms.lead).toBe(SUMMARY_WEIGHT);
    expect(SUMMARY_WEIGHT).toBeLessThan(TITLE_WEIGHT);
  });

  it('boosts nothing in a summary line written in capitals or Title Case (a byline, a heading)', () => {
    const { terms } = articleFeatures({ title: 'Talks begin', summary: 'THE NORTHERN COURIER\nLatest From Our Middle East Desk\nOfficials met in Jeddah.' });
    expect(terms.northern).toBe(SUMMARY_WEIGHT);
    expect(terms.desk).toBe(SUMMARY_WEIGHT);
    expect(terms.jeddah).toBe(SUMMARY_NAME_WEIGHT);
  });

  it('reads the summary in the headline’s language', () => {
    const f = articleFeatures({ title: 'Les négociations de Djeddah sont terminées', summary: 'Les délégations sont parties' });
    expect(f.language).toBe('fr');
    expect(f.terms).toEqual({ negociations: 1, djeddah: 1.5, terminees: 1, delegations: SUMMARY_WEIGHT, parties: SUMMARY_WEIGHT });
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
