import { describe, expect, it } from 'vitest';
import { titleKey } from './title-key.js';

describe('titleKey', () => {
  it('gives the same key to headlines that differ in case, quotes, punctuation and dotted acronyms', () => {
    const key = 'us ukraine hold crucial talks';
    expect(titleKey('U.S. & Ukraine hold ‘crucial’ talks')).toBe(key);
    expect(titleKey('US & Ukraine Hold Crucial Talks!')).toBe(key);
    expect(titleKey('  "US" — Ukraine: hold   "crucial" talks…  ')).toBe(key);
  });

  it('joins dotted acronyms but not abbreviations or initials with spaces', () => {
    expect(titleKey('U.K.-based A.I. firm, e.g. this')).toBe('uk based ai firm eg this');
    expect(titleKey('U.S')).toBe('us');
    expect(titleKey('Mr. Smith vs. J. K. Rowling')).toBe('mr smith vs j k rowling');
    expect(titleKey('version 2.5.1 of node.js')).toBe('version 2 5 1 of node js');
  });

  it('removes diacritics', () => {
    expect(titleKey('Café naïve Zürich São Paulo Łódź')).toBe('cafe naive zurich sao paulo łodz');
    expect(titleKey('Cafe\u0301')).toBe(titleKey('Café'));
  });

  it('keeps letters of non-Latin scripts', () => {
    expect(titleKey('Путин: «переговоры» в Джидде')).toBe('путин переговоры в джидде');
    expect(titleKey('Ёлка')).toBe('елка');
    expect(titleKey('ΑΘΉΝΑ: Σύνοδος')).toBe('αθηνα συνοδος');
    expect(titleKey('東京で会談、ガザ停戦へ。')).toBe('東京で会談 ガザ停戦へ');
    expect(titleKey('ソウル·서울')).toBe('ソウル 서울');
    expect(titleKey('हिन्दी समाचार')).toBe('हिन्दी समाचार');
    expect(titleKey('مفاوضات، جدة؟')).toBe('مفاوضات جدة');
  });

  it('folds compatibility forms (NFKC) such as full-width letters and ligatures', () => {
    expect(titleKey('ＵＳ　Ｔａｌｋｓ')).toBe('us talks');
    expect(titleKey('ﬁnal ½')).toBe('final 1 2');
  });

  it('is locale-independent for dotted capitals', () => {
    expect(titleKey('İSTANBUL')).toBe('istanbul');
    expect(titleKey('ISTANBUL')).toBe('istanbul');
  });

  it('maps symbols and emoji to spaces and drops invisible characters', () => {
    expect(titleKey('Markets 📉 fall $5bn + 3% → €')).toBe('markets fall 5bn 3');
    expect(titleKey('zero\u200Bwidth\u00A0space')).toBe('zerowidth space');
  });

  it('returns an empty key for punctuation-only titles', () => {
    expect(titleKey(' — !? … ')).toBe('');
  });
});
