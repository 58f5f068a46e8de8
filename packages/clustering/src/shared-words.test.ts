import { describe, expect, it } from 'vitest';
import { sharedWords } from './shared-words.js';

describe('sharedWords', () => {
  it('gives each headline the words other headlines share, as written, most shared first', () => {
    const titles = ['Storm Brennan hits the coast', 'Brennan storm batters coast', 'Storm knocks out power on the coast', 'Coast guard on alert'];
    expect(sharedWords(titles)[0]).toEqual(['coast', 'Storm', 'Brennan']);
    expect(sharedWords(titles)[3]).toEqual(['Coast']);
  });

  it('matches words as clustering does (plurals, possessives, case), each once', () => {
    expect(sharedWords(["Rubio's talks: talks resume in Jeddah", 'Talk in JEDDAH', 'Rubio arrives'])[0]).toEqual(['Rubio', 'talks', 'Jeddah']);
  });

  it('gives nothing for stop words or words no other headline uses', () => {
    expect(sharedWords(['The river and the town', 'A town of the north'])[0]).toEqual(['town']);
    expect(sharedWords(['Quake in Ostrovia'])).toEqual([[]]);
  });

  it('keeps to `max` words', () => {
    expect(sharedWords(['alpha beta gamma delta epsilon', 'alpha beta gamma delta epsilon'], 'en', 2)[0]).toEqual(['alpha', 'beta']);
  });
});
