import { describe, expect, it } from 'vitest';
import { CENTROID_TERMS, decideStory, JOIN_THRESHOLD, MERGE_THRESHOLD, MIN_SIMILARITY_BEYOND_TOP_TERM, MIN_TITLE_WORDS, NEAR_COPY, scoreCandidate, TIME_DISCOUNT, type ArticleToPlace, type CandidateStory } from './decide-story.js';
import { minhashSignature } from './minhash.js';
import { cosine, similarities, weightedVector } from './similarity.js';
import { sparseVector } from './sparse-vector.js';
import { TermIds } from './term-ids.js';

const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;
const T = new Date('2025-03-11T10:00:00Z');
const flat = () => 1;
const options = { windowMs: WINDOW };

function article(terms: Record<string, number>, overrides: Partial<ArticleToPlace> = {}): ArticleToPlace {
  return { features: { terms, language: 'en', signature: [] }, titleKey: Object.keys(terms).join(' '), eventAt: T, ...overrides };
}

function story(storyId: string, centroid: Record<string, number>, overrides: Partial<CandidateStory> = {}): CandidateStory {
  return { storyId, centroid, lastAt: T.getTime(), signatures: [], titleKeys: [], ...overrides };
}

describe('decideStory', () => {
  it('joins the best-scoring story at or above the join threshold', () => {
    const a = article({ jeddah: 1, talk: 1, rubio: 1 });
    // cos = 3 / (√3 · √3) = 1 and 1 / (√3 · 2) ≈ 0.29.
    const talks = story('5', { jeddah: 1, talk: 1, rubio: 1 });
    const stadium = story('3', { jeddah: 1, stadium: 1, world: 1, cup: 1 });
    expect(decideStory(a, [stadium, talks], flat, options)).toEqual({ storyId: '5', score: 1, reason: 'similar: 1.00', merges: [], nearby: [] });
  });

  it('joins at exactly the threshold', () => {
    // cos({a…h}, {a, b}) = 2 / (√8 · √2) = 1 / 2.
    const decision = decideStory(article({ a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1 }), [story('1', { a: 1, b: 1 })], flat, { ...options, joinThreshold: 0.5 });
    expect(decision).toMatchObject({ storyId: '1', score: 0.5, reason: 'similar: 0.50' });
  });

  it('starts a new story below the threshold, reporting the best score it missed', () => {
    // Two terms shared of seven each: cos = 2 / 7 ≈ 0.286 < 0.3.
    const a = article({ jeddah: 1, talk: 1, rubio: 1, kyiv: 1, waltz: 1, saudi: 1, yermak: 1 });
    const decision = decideStory(a, [story('3', { jeddah: 1, talk: 1, stadium: 1, world: 1, cup: 1, qiddiya: 1, bid: 1 })], flat, options);
    expect(JOIN_THRESHOLD).toBe(0.3);
    expect(decision.storyId).toBeNull();
    expect(decision.reason).toBe('new-story');
    expect(decision.score).toBeCloseTo(2 / 7, 12);
    expect(decision.merges).toEqual([]);
    // Near enough for the settle pass to compare article by article.
    expect(decision.nearby).toEqual(['3']);
    expect(decideStory(article({ jeddah: 1 }), [], flat, options)).toEqual({ storyId: null, score: 0, reason: 'new-story', merges: [], nearby: [] });
  });

  it("reads candidates' weighted centroids with the numbering they were made with, and refuses them without it", () => {
    const a = article({ jeddah: 2, talk: 1, rubio: 1 });
    const terms = new TermIds();
    // Numbered in another order than the article's terms would be.
    const centroid = { talk: 3, jeddah: 1, rubio: 1 };
    const given = story('5', centroid, { weighted: sparseVector(centroid, flat, terms, CENTROID_TERMS) });
    expect(decideStory(a, [given], flat, { ...options, terms })).toEqual(decideStory(a, [story('5', centroid)], flat, options));
    expect(() => decideStory(a, [given], flat, options)).toThrow(/numbering/);
  });

  it('does not join on a single shared term, however heavy: the score is what is left beyond it', () => {
    // Two events in one town, the town's name repeated: a high cosine from that one word alone.
    const rescue = article({ greyhaven: 3, lifeboat: 1, crew: 1, kayaker: 1, tide: 0.5 });
    const bakery = { greyhaven: 2, bakery: 1, award: 1, seafront: 1, tide: 0.5 };
    const vector = weightedVector(rescue.features.terms, flat);
    expect(cosine(vector, weightedVector(bakery, flat))).toBeGreaterThan(JOIN_THRESHOLD);
    const beyond = similarities(vector, weightedVector(bakery, flat)).beyondTop;
    expect(beyond).toBeLessThan(MIN_SIMILARITY_BEYOND_TOP_TERM);
    expect(decideStory(rescue, [story('1', bakery)], flat, options)).toMatchObject({ storyId: null, reason: 'new-story' });
    expect(decideStory(rescue, [story('1', bakery)], flat, options).score).toBeCloseTo(beyond, 12);
    // Sharing the town and what happened there, it joins.
    const sameEvent = { greyhaven: 2, lifeboat: 1, kayaker: 1, coastguard: 1 };
    expect(decideStory(rescue, [story('1', sameEvent)], flat, options)).toMatchObject({ storyId: '1' });
  });

  it('breaks a tie for the older story (smaller id, compared as numbers), whatever the order', () => {
    const a = article({ jeddah: 1, talk: 1, rubio: 1 });
    const older = story('7', { jeddah: 1, talk: 1, rubio: 1 });
    const newer = story('12', { jeddah: 1, talk: 1, rubio: 1 });
    expect(decideStory(a, [newer, older], flat, options).storyId).toBe('7');
    expect(decideStory(a, [older, newer], flat, options).storyId).toBe('7');
  });

  it('discounts a story by the time between them, up to a whole window', () => {
    const a = article({ jeddah: 1, talk: 1, rubio: 1 });
    const at = (hours: number) => story('1', { jeddah: 1, talk: 1, rubio: 1 }, { lastAt: T.getTime() - hours * HOUR });
    expect(decideStory(a, [at(0)], flat, options).score).toBeCloseTo(1, 12);
    expect(decideStory(a, [at(36)], flat, options).score).toBeCloseTo(1 - TIME_DISCOUNT / 2, 12);
    expect(decideStory(a, [at(72)], flat, options).score).toBeCloseTo(1 - TIME_DISCOUNT, 12);
    expect(decideStory(a, [at(500)], flat, options).score).toBeCloseTo(1 - TIME_DISCOUNT, 12);
  });

  it('lists for merging the stories the article bridges, at or above the merge threshold', () => {
    // The article shares two words with each story; the stories share none with each other.
    const a = article({ jeddah: 1, talk: 1, rubio: 1, kyiv: 1 });
    const first = story('1', { jeddah: 1, talk: 1 });
    const second = story('2', { rubio: 1, kyiv: 1 });
    const stadium = story('3', { jeddah: 1, stadium: 1, world: 1, cup: 1, qiddiya: 1 });
    const decision = decideStory(a, [first, second, stadium], flat, options);
    // Both score 1/√2; the tie goes to story 1, which grown by the article is {jeddah 2, talk 2, rubio 1, kyiv 1}:
    // against story 2, (1 + 1) / (√10 · √2) ≈ 0.447; against the stadium, 2 / (√10 · √5) ≈ 0.283.
    expect(decision).toMatchObject({ storyId: '1', reason: 'similar: 0.71' });
    expect(decision.merges).toHaveLength(1);
    expect(decision.merges[0]?.storyId).toBe('2');
    expect(decision.merges[0]?.score).toBeCloseTo(2 / Math.sqrt(20), 12);
    expect(MERGE_THRESHOLD).toBeGreaterThan(2 / Math.sqrt(50));
  });

  it('merges nothing when the article joins nothing', () => {
    const decision = decideStory(article({ moscow: 1, drone: 1, airport: 1, shut: 1 }), [story('1', { moscow: 1 }), story('2', { moscow: 1, drone: 1, x: 1, y: 1, z: 1, w: 1, v: 1 })], flat, {
      ...options,
      joinThreshold: 0.9,
    });
    expect(decision).toMatchObject({ storyId: null, merges: [] });
  });

  it('never merges a pair an admin separated', () => {
    const a = article({ jeddah: 1, talk: 1, rubio: 1, kyiv: 1 });
    const candidates = [story('1', { jeddah: 1, talk: 1 }), story('2', { rubio: 1, kyiv: 1 })];
    const separated = (x: string, y: string) => [x, y].sort().join(':') === '1:2';
    expect(decideStory(a, candidates, flat, { ...options, separated })).toMatchObject({ storyId: '1', merges: [] });
    // Only that pair: a third story still merges.
    const third = story('4', { kyiv: 2, rubio: 1 });
    expect(decideStory(a, [...candidates, third], flat, { ...options, separated }).merges.map((m) => m.storyId)).toEqual(['4']);
  });

  it('does not rejoin a split through a third story: of two separated stories, only the stronger merges', () => {
    const a = article({ jeddah: 1, talk: 1, rubio: 1, kyiv: 1 });
    const chosen = story('1', { jeddah: 1, talk: 1 });
    // Against the grown story 1: story 2 ≈ 0.447, story 4 ≈ 0.424; an admin split 2 from 4.
    const stronger = story('2', { rubio: 1, kyiv: 1 });
    const weaker = story('4', { kyiv: 2, rubio: 1 });
    const separated = (x: string, y: string) => [x, y].sort().join(':') === '2:4';
    for (const candidates of [[chosen, stronger, weaker], [weaker, stronger, chosen]]) {
      const decision = decideStory(a, candidates, flat, { ...options, separated });
      expect(decision.storyId).toBe('1');
      expect(decision.merges.map((m) => m.storyId)).toEqual(['2']);
    }
    expect(decideStory(a, [chosen, stronger, weaker], flat, options).merges.map((m) => m.storyId)).toEqual(['2', '4']);
  });

  it('matches the same normalised headline outright, from three words on', () => {
    const key = 'storm brennan batters the coast';
    const a = article({ completely: 1, different: 1 }, { titleKey: key });
    expect(decideStory(a, [story('9', { storm: 1, brennan: 1 }, { titleKeys: ['other', key] })], flat, options)).toEqual({
      storyId: '9',
      score: 1,
      reason: 'same-title',
      merges: [],
      nearby: [],
    });
    expect(MIN_TITLE_WORDS).toBe(3);
    const three = article({ x: 1 }, { titleKey: 'ceasefire talks begin' });
    expect(decideStory(three, [story('9', { y: 1 }, { titleKeys: ['ceasefire talks begin'] })], flat, options).reason).toBe('same-title');
    // "Live updates" from two outlets says nothing about the event.
    const short = article({ z: 1 }, { titleKey: 'live updates' });
    expect(decideStory(short, [story('9', { y: 1 }, { titleKeys: ['live updates'] })], flat, options)).toMatchObject({ storyId: null, reason: 'new-story' });
  });

  it('lets a text of one or two terms match only as a copy ("Video" from four outlets)', () => {
    const video = article({ video: 1 }, { titleKey: 'video' });
    expect(decideStory(video, [story('1', { video: 1, jeddah: 1 })], flat, options)).toMatchObject({ storyId: null, reason: 'new-story' });
    const jeddah = article({ jeddah: 1, talk: 1, video: 1 });
    expect(decideStory(jeddah, [story('1', { video: 1 })], flat, options)).toMatchObject({ storyId: null });
    expect(decideStory(jeddah, [story('1', { video: 1, talk: 1 })], flat, options).storyId).toBe('1');
  });

  it('matches a near-verbatim copy of one of the story’s articles outright', () => {
    const words = 'a russian missile struck a civilian vessel loading wheat in the port of odesa killing four syrian crew members on tuesday'.split(' ');
    const signature = minhashSignature(words);
    const a = article({ odesa: 1 }, { features: { terms: { odesa: 1 }, language: 'en', signature } });
    const decision = decideStory(a, [story('4', { unrelated: 1 }, { signatures: [minhashSignature(['other', 'words', 'entirely', 'here', 'and', 'more', 'of', 'them', 'still', 'going']), signature] })], flat, options);
    expect(decision).toMatchObject({ storyId: '4', score: 1, reason: 'near-copy' });
    expect(NEAR_COPY).toBe(0.5);
  });
});

describe('scoreCandidate', () => {
  it('scores against the story’s 100 strongest terms only', () => {
    expect(CENTROID_TERMS).toBe(100);
    // A story that grew large: 100 heavy terms and one light one the article shares.
    const centroid: Record<string, number> = { shared: 0.1, also: 0.1 };
    for (let i = 0; i < CENTROID_TERMS; i++) centroid[`t${i}`] = 5;
    const a = article({ shared: 1, also: 1, nowhere: 1 });
    expect(scoreCandidate(a, story('1', centroid), flat, WINDOW)).toEqual({ score: 0, reason: 'similar: 0.00' });
    centroid.t0 = 0;
    centroid.t1 = 0;
    expect(scoreCandidate(a, story('1', centroid), flat, WINDOW).score).toBeGreaterThan(0);
  });
});
