import { describe, expect, it } from 'vitest';
import { titleKey } from '@newsfold/text';
import { detectLanguage, stopWords, STOP_WORD_LANGUAGES } from './stop-words.js';
import { nameWords, proseNameWords, tokenize } from './tokenize.js';

const tokens = (text: string) => titleKey(text).split(' ');

describe('tokenize', () => {
  it('drops the stop words of the text’s language', () => {
    expect(tokenize('The talks in Jeddah are over', 'en')).toEqual({ words: ['talk', 'jeddah'], language: 'en' });
    // Diacritics go the way of title keys: "négociations" → "negociations".
    expect(tokenize('Les négociations de Djeddah sont terminées', 'fr')).toEqual({ words: ['negociations', 'djeddah', 'terminees'], language: 'fr' });
    expect(tokenize('Die Gespräche in Dschidda sind beendet', 'de')).toEqual({ words: ['gesprache', 'dschidda', 'beendet'], language: 'de' });
    expect(tokenize('Переговоры в Джидде начались', 'ru')).toEqual({ words: ['переговоры', 'джидде', 'начались'], language: 'ru' });
  });

  it('uses the feed’s language when it gives one, region subtags and case ignored', () => {
    // "die" is a German stop word but an English word: the feed says which it is.
    expect(tokenize('Die Hard returns', 'en').words).toEqual(['die', 'hard', 'return']);
    expect(tokenize('Die Hard returns', 'DE-de').words).toEqual(['hard', 'returns']);
    expect(tokenize('The talks resume', 'en-GB').language).toBe('en');
  });

  it('falls back to English stop words for a language without a list', () => {
    expect(stopWords('sv')).toBe(stopWords('en'));
    expect(tokenize('The talks in Jeddah', 'sv').words).toEqual(['talks', 'jeddah']);
  });

  it('has a stop list for each language it claims', () => {
    expect(STOP_WORD_LANGUAGES).toEqual(expect.arrayContaining(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'ru']));
    for (const lang of STOP_WORD_LANGUAGES) expect(stopWords(lang).size).toBeGreaterThan(50);
    // Stored without diacritics, like the tokens they are compared with.
    expect(stopWords('fr').has('etre')).toBe(true);
    expect(stopWords('de').has('uber')).toBe(true);
  });

  it('splits scripts written without spaces into overlapping character pairs', () => {
    expect(tokenize('東京で会談').words).toEqual(['東京', '京で', 'で会', '会談']);
    expect(tokenize('美乌在吉达会谈').words).toEqual(['美乌', '乌在', '在吉', '吉达', '达会', '会谈']);
    expect(tokenize('G7 峰会').words).toEqual(['g7', '峰会']);
    // A lone ideograph is a word of its own; a lone Latin letter is not.
    expect(tokenize('中 x 7').words).toEqual(['中', '7']);
  });

  it('stems English plurals and possessives, and nothing else', () => {
    expect(tokenize('Talks strikes cities drones proposals').words).toEqual(['talk', 'strike', 'city', 'drone', 'proposal']);
    expect(tokenize("Kyiv's offer, Putin’s reply").words).toEqual(['kyiv', 'offer', 'putin', 'reply']);
    // Words that only look plural keep their ending.
    expect(tokenize('press virus analysis news gas bus').words).toEqual(['press', 'virus', 'analysis', 'news', 'gas', 'bus']);
    // Other languages are left alone.
    expect(tokenize('Les villes bombardées', 'fr').words).toEqual(['villes', 'bombardees']);
  });

  it('keeps numbers, even single digits', () => {
    expect(tokenize('3 killed as 337 drones hit Moscow').words).toEqual(['3', 'killed', '337', 'drone', 'hit', 'moscow']);
  });
});

describe('detectLanguage', () => {
  it('recognises English, French, German and Russian headlines', () => {
    expect(detectLanguage(tokens('The talks in Jeddah are over and the delegations have left'))).toBe('en');
    expect(detectLanguage(tokens('Les négociations de Djeddah sont terminées et les délégations sont parties'))).toBe('fr');
    expect(detectLanguage(tokens('Die Gespräche in Dschidda sind beendet und die Delegationen reisen ab'))).toBe('de');
    expect(detectLanguage(tokens('Переговоры в Джидде закончились и делегации уехали'))).toBe('ru');
  });

  it('is what tokenize uses when the feed names no language', () => {
    expect(tokenize('Les négociations de Djeddah sont terminées').language).toBe('fr');
    expect(tokenize('Переговоры в Джидде закончились и делегации уехали').language).toBe('ru');
  });

  it('says nothing when no list stands out', () => {
    expect(detectLanguage(tokens('Rubio Zelensky Putin Jeddah Trump Waltz Yermak'))).toBeNull();
    expect(detectLanguage([])).toBeNull();
    // One hit is enough only in a short text.
    expect(detectLanguage(tokens('Talks in Jeddah'))).toBe('en');
    expect(detectLanguage(tokens('Rubio Zelensky Putin Jeddah Trump Waltz in Yermak'))).toBeNull();
  });
});

describe('nameWords', () => {
  it('takes capitalised words after the first in a sentence-case headline', () => {
    expect(nameWords('US and Ukraine hold talks in Saudi Arabia', 'en')).toEqual(new Set(['ukraine', 'saudi', 'arabia']));
    expect(nameWords("Rubio says he will listen to Kyiv's proposals at Jeddah meeting", 'en')).toEqual(new Set(['kyiv', 'jeddah']));
  });

  it('finds none in a Title Case headline, where capitals say nothing', () => {
    expect(nameWords('Rubio Says He Will Listen To Kyiv’s Proposals At Jeddah Meeting', 'en').size).toBe(0);
  });
});

describe('proseNameWords', () => {
  it('takes capitalised words after each sentence’s first', () => {
    const text = 'Kyiv hopes the talks will persuade the Trump administration. Secretary of state Marco Rubio leads the US side!\nAndriy Yermak heads the other.';
    expect(proseNameWords(text, 'en')).toEqual(new Set(['trump', 'marco', 'rubio', 'us', 'yermak']));
  });

  it('does not end a sentence at an abbreviation or an initialism', () => {
    const names = proseNameWords('Officials said Mr. Rubio met U.S. envoy Steve Witkoff.', 'en');
    for (const name of ['rubio', 'steve', 'witkoff']) expect(names.has(name), name).toBe(true);
    expect(names.has('officials') || names.has('official')).toBe(false);
  });

  it('finds none in a line in capitals or Title Case', () => {
    expect(proseNameWords('THE NORTHERN COURIER\nMore Stories From The Gulf', 'en').size).toBe(0);
  });
});
