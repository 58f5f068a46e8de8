import { describe, expect, it } from 'vitest';
import { articleFeatures } from './features.js';
import { CANDIDATES, QUERY_TERMS } from './candidates.js';
import { STORIES_PER_TERM, StoryIndex, type ArticleToIndex } from './story-index.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 8);

let seq = 0;
function article(title: string, summary: string | null = null, hoursAfter = 0): ArticleToIndex {
  seq += 1;
  return { id: String(seq), features: articleFeatures({ title, summary, language: 'en' }), titleKey: title.toLowerCase(), eventAt: new Date(T0 + hoursAfter * HOUR) };
}

/** Placeholders "n<article id>", older than nothing stored: ordered by the article that started them. */
const complete = () =>
  new StoryIndex({
    windowMs: 72 * HOUR,
    complete: true,
    newStoryId: (a) => `n${a.id}`,
    compareAge: (a, b) => Number(a.replace('n', '')) - Number(b.replace('n', '')),
  });

/** Counts the article as a document, then places it: a batch of one. */
function placeOne(index: StoryIndex, a: ArticleToIndex) {
  index.count([a]);
  return index.place(a);
}

describe('StoryIndex', () => {
  it('places alike after numbering its terms afresh (as past MAX_TERM_IDS)', () => {
    // Each report shares a word or two with stories it does not join: they are compared, and their
    // weighted centroids kept, across the renumbering.
    const reports = [
      article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.'),
      article('Kelmar council approves Lindqvist tunnel budget', 'The Kelmar council voted for the tunnel.', 1),
      article('Lindqvist tunnel vote: Kelmar council says yes', 'Kelmar will build the Lindqvist tunnel.', 2),
      article('Ostravel passengers brought ashore at Kelmar harbour', 'Passengers of the Ostravel ferry were brought ashore.', 3),
      article('Kelmar harbour salvage of the Ostravel begins', 'Salvage crews reached the Ostravel off Kelmar.', 4),
    ];
    // The IDF held still (idfDrift), so that stories' weighted centroids are kept between articles.
    const held = () =>
      new StoryIndex({ windowMs: 72 * HOUR, complete: true, idfDrift: 100, newStoryId: (a) => `n${a.id}`, compareAge: (a, b) => Number(a.slice(1)) - Number(b.slice(1)) });
    const [kept, renumbered] = [held(), held()];
    const placed = reports.map((a, i) => {
      // Every story's weighted centroid is numbered anew before each article but the first.
      if (i > 0) renumbered.renumberTerms();
      return [placeOne(kept, a), placeOne(renumbered, a)];
    });
    for (const [a, b] of placed) expect(b).toEqual(a);
    // What was numbered by the old table is forgotten with it (read with the new one, it would name
    // other terms): a story compared and not joined keeps its weighted centroid until then.
    const index = held();
    placeOne(index, article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.'));
    expect(placeOne(index, article('Vandor council approves Kelmar tunnel budget', 'The Vandor council voted for the tunnel.', 1)).created).toBe(true);
    expect([...index.stories.values()].filter((story) => story.weighted)).toHaveLength(1);
    index.renumberTerms();
    expect([...index.stories.values()].filter((story) => story.weighted)).toEqual([]);
    expect(new Set(placed.map(([a]) => a?.storyId)).size).toBe(2);
  });

  it('starts a story, gathers reports of the same event into it, and keeps other events apart', () => {
    const index = complete();
    const first = placeOne(index, article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.'));
    expect(first).toMatchObject({ created: true, reason: 'new-story', merged: [] });
    const second = placeOne(index, article('Kelmar harbour ferry Ostravel aground, passengers safe', 'Passengers of the Ostravel were brought ashore at Kelmar.', 1));
    expect(second).toMatchObject({ storyId: first.storyId, created: false });
    const other = placeOne(index, article('Vandor council approves Lindqvist tunnel budget', 'The Vandor council voted for the tunnel.', 2));
    expect(other.created).toBe(true);
    expect(other.storyId).not.toBe(first.storyId);
    expect(index.stories.get(first.storyId)?.titleKeys).toHaveLength(2);
  });

  it("matches a headline a story gained after it was last scored, and one it gained in a merge", () => {
    const index = complete();
    const story = placeOne(index, article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.'));
    // Scored (its headlines read) as this report joins it.
    const joined = placeOne(index, article('Kelmar harbour ferry Ostravel aground, passengers safe', 'Passengers of the Ostravel were brought ashore at Kelmar.', 1));
    expect(joined.storyId).toBe(story.storyId);
    // Nothing in common but the headline of the report that joined.
    const same = placeOne(index, { ...article('Vandor council approves Lindqvist tunnel budget', 'The Vandor council voted for the tunnel.', 2), titleKey: 'kelmar harbour ferry ostravel aground, passengers safe' });
    expect(same).toMatchObject({ storyId: story.storyId, reason: 'same-title' });

    const a = placeOne(index, article('Zelmar talks open in Jeddah', 'Rubio and Yermak met in Jeddah for Zelmar talks.', 3));
    const b = placeOne(index, article('Rubio Yermak delegations meet', 'Delegations led by Rubio and Yermak met on Tuesday.', 4));
    const bridge = placeOne(index, article('Jeddah talks: Rubio and Yermak delegations meet for Zelmar talks', 'Rubio Yermak Jeddah Zelmar delegations talks.', 5));
    expect(bridge.merged.map((m) => m.storyId)).toEqual([b.storyId]);
    const again = placeOne(index, { ...article('Grain barge sinks near Tolvik', 'A grain barge sank near Tolvik.', 6), titleKey: 'rubio yermak delegations meet' });
    expect(again).toMatchObject({ storyId: a.storyId, reason: 'same-title' });
  });

  it('merges two stories an article bridges into the older one, moving their postings and headlines', () => {
    const index = complete();
    const a = placeOne(index, article('Zelmar talks open in Jeddah', 'Rubio and Yermak met in Jeddah for Zelmar talks.'));
    const b = placeOne(index, article('Rubio Yermak delegations meet', 'Delegations led by Rubio and Yermak met on Tuesday.', 1));
    // Made to fall below the join threshold against each other, then bridged.
    const bridge = placeOne(index, article('Jeddah talks: Rubio and Yermak delegations meet for Zelmar talks', 'Rubio Yermak Jeddah Zelmar delegations talks.', 2));
    expect(b.storyId, 'the two reports start apart').not.toBe(a.storyId);
    expect(bridge.merged.map((m) => m.storyId)).toEqual([b.storyId]);
    expect(bridge.storyId).toBe(a.storyId);
    expect([...index.stories.keys()]).toEqual([a.storyId]);
    // Every term now points at the survivor.
    const probe = index.candidateIds(article('Yermak says delegations made progress', null, 3));
    expect(probe).toEqual([a.storyId]);
  });

  it('never merges stories an editor separated', () => {
    const index = complete();
    const a = placeOne(index, article('Zelmar talks open in Jeddah', 'Rubio and Yermak met in Jeddah for Zelmar talks.'));
    const b = placeOne(index, article('Rubio Yermak delegations meet', 'Delegations led by Rubio and Yermak met on Tuesday.', 1));
    if (a.storyId === b.storyId) return expect.fail('the test needs two stories to start with');
    index.separate(a.storyId, b.storyId);
    const bridge = placeOne(index, article('Jeddah talks: Rubio and Yermak delegations meet for Zelmar talks', 'Rubio Yermak Jeddah Zelmar delegations talks.', 2));
    expect(bridge.merged).toEqual([]);
    expect(index.stories.size).toBe(2);
  });

  it(`keeps each term's ${STORIES_PER_TERM} newest stories, and forgets stories outside the window`, () => {
    const index = complete();
    for (let i = 0; i < STORIES_PER_TERM + 5; i++) placeOne(index, article(`Quorvane report ${i} unrelatedword${i} otherword${i}`, null, i / 10));
    const probe = article('Quorvane report zz', null, 6);
    expect(index.candidateIds(probe).length).toBeLessThanOrEqual(STORIES_PER_TERM);
    index.evict(new Date(T0 + 3 * HOUR));
    expect([...index.stories.values()].every((s) => s.lastAt >= T0 + 3 * HOUR)).toBe(true);
  });

  it('places against what was loaded only, when not complete', () => {
    const index = new StoryIndex({ windowMs: 72 * HOUR, complete: false, newStoryId: (a) => `n${a.id}`, compareAge: (a, b) => (a < b ? -1 : 1) });
    const known = article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.');
    for (const term of Object.keys(known.features.terms)) {
      index.setDf(term, 1);
      index.setPostings(term, [{ storyId: '7', lastAt: known.eventAt.getTime() }]);
    }
    index.documents = 10;
    index.addStory({ id: '7', centroid: known.features.terms, lastEventAt: known.eventAt, signatures: [], titleKeys: [known.titleKey] });
    const placed = placeOne(index, article('Kelmar harbour ferry Ostravel aground, passengers safe', 'Passengers of the Ostravel were brought ashore at Kelmar.', 1));
    expect(placed).toMatchObject({ storyId: '7', created: false });
    // "passengers" had no postings loaded: it is left to the database, not started here.
    expect(index.hasPostings('passenger')).toBe(false);
    expect(index.candidateIds(article('Ostravel aground at Kelmar', null, 2))).toEqual(['7']);
  });

  it('says whether every story an article could be compared with is held', () => {
    const index = new StoryIndex({ windowMs: 72 * HOUR, complete: false, newStoryId: (a) => `n${a.id}`, compareAge: (a, b) => (a < b ? -1 : 1) });
    const probe = article('Ostravel aground at Kelmar', null, 2);
    index.setPostings('ostravel', [{ storyId: '7', lastAt: T0 }]);
    index.setPostings('kelmar', [{ storyId: '7', lastAt: T0 }, { storyId: '5', lastAt: T0 - 80 * HOUR }]);
    index.addStory({ id: '7', centroid: { ostravel: 1, kelmar: 1 }, lastEventAt: new Date(T0), signatures: [], titleKeys: [] });
    // Story 5 used "kelmar" before the article's window only: it would not be a candidate.
    expect(index.holdsCandidates(probe)).toBe(true);
    index.setTitle(probe.titleKey, [{ storyId: '9', at: T0 + HOUR }]);
    expect(index.holdsCandidates(probe), 'a story holding its headline is not held').toBe(false);
    index.addStory({ id: '9', centroid: {}, lastEventAt: new Date(T0 + HOUR), signatures: [], titleKeys: [probe.titleKey] });
    expect(index.holdsCandidates(probe)).toBe(true);
    index.setPostings('aground', [{ storyId: '8', lastAt: T0 }]);
    expect(index.holdsCandidates(probe), 'a story using one of its terms is not held').toBe(false);
  });

  it('holds every term from the time a window was loaded on: a term without postings has none, earlier ones are asked for', () => {
    const index = new StoryIndex({ windowMs: 72 * HOUR, complete: false, newStoryId: (a) => `n${a.id}`, compareAge: (a, b) => (a < b ? -1 : 1) });
    const since = T0 - 72 * HOUR;
    const known = article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.');
    for (const term of Object.keys(known.features.terms)) index.setPostings(term, [{ storyId: '7', lastAt: T0 }], false);
    index.holdPostingsSince(new Date(since));
    index.documents = 10;
    index.addStory({ id: '7', centroid: known.features.terms, lastEventAt: known.eventAt, signatures: [], titleKeys: [known.titleKey] });
    expect(index.hasPostings('lindqvist', since), 'no story used it in the window: nothing to ask for').toBe(true);
    expect(index.hasPostings('ostravel', since - HOUR), 'before the window: asked for').toBe(false);

    // A story started now is found through terms nobody loaded.
    const tunnel = placeOne(index, article('Vandor council approves Lindqvist tunnel budget', 'The Vandor council voted for the tunnel.', 1));
    expect(index.candidateIds(article('Lindqvist tunnel: Vandor council vote', null, 2))).toEqual([tunnel.storyId]);

    // Postings before a cut-off go; a term loaded whole that lost some is no longer whole.
    index.setPostings('kelmar', [{ storyId: '7', lastAt: T0 }, { storyId: '5', lastAt: T0 - 80 * HOUR }]);
    index.setPostings('harbour', [{ storyId: '7', lastAt: T0 }]);
    expect(index.hasPostings('kelmar', since - 10 * HOUR)).toBe(true);
    index.forgetPostingsBefore(new Date(since));
    expect(index.hasPostings('kelmar', since - 10 * HOUR)).toBe(false);
    expect(index.hasPostings('harbour', since - 10 * HOUR), 'nothing was cut from it').toBe(true);
    expect(index.hasPostings('kelmar', since)).toBe(true);
    expect(index.candidateIds(article('Kelmar harbour reopens', null, 3))).toEqual(['7']);
  });

  it('a clone goes its own way: placing in it changes nothing in the original, and both place alike', () => {
    const index = complete();
    const ferry = placeOne(index, article('Ferry Ostravel runs aground off Kelmar harbour', 'The Ostravel ferry ran aground near Kelmar.'));
    placeOne(index, article('Vandor council approves Lindqvist tunnel budget', 'The Vandor council voted for the tunnel.', 1));
    const copy = index.clone();
    const before = JSON.stringify([...index.stories.values()].map((s) => [s.id, index.centroidOf(s.id), s.titleKeys]));
    const next = article('Kelmar harbour ferry Ostravel aground, passengers safe', 'Passengers of the Ostravel were brought ashore at Kelmar.', 2);
    const inCopy = placeOne(copy, next);
    expect(inCopy.storyId).toBe(ferry.storyId);
    expect(JSON.stringify([...index.stories.values()].map((s) => [s.id, index.centroidOf(s.id), s.titleKeys]))).toBe(before);
    expect(index.candidateIds(article('Passengers brought ashore', null, 3))).toEqual([]);
    expect(copy.candidateIds(article('Passengers brought ashore', null, 3))).toEqual([ferry.storyId]);
    // The original, given the same article, decides as the copy did.
    expect(placeOne(index, next)).toEqual(inCopy);
  });

  it('moves the IDF only once the counted documents grew by idfDrift', () => {
    const index = new StoryIndex({ windowMs: 72 * HOUR, complete: false, newStoryId: (a) => `n${a.id}`, compareAge: (a, b) => (a < b ? -1 : 1), idfDrift: 0.5 });
    index.documents = 100;
    index.setDf('ostravel', 10);
    const before = index.idf()('ostravel');
    expect(before).toBeCloseTo(Math.log(101 / 11) + 1, 12);
    const ferry = (n: number) => Array.from({ length: n }, (_, i) => article(`Ostravel ferry report ${i}`));
    index.count(ferry(40));
    expect(index.idf()('ostravel'), '140 documents: within 50% of 100').toBe(before);
    // A term first asked for now: its own count as it is, over the documents the IDF last moved at.
    index.setDf('kelmar', 3);
    expect(index.idf()('kelmar')).toBeCloseTo(Math.log(101 / 4) + 1, 12);
    index.count(ferry(20));
    expect(index.idf()('ostravel')).toBeCloseTo(Math.log(161 / 71) + 1, 12);
  });

  it.each([
    ['CANDIDATES', undefined],
    ['10 (the option)', 10],
  ])('keeps the %s stories sharing the most query weight, ties to the newer', (_, candidates) => {
    const cap = candidates ?? CANDIDATES;
    const index = new StoryIndex({ windowMs: 72 * HOUR, complete: false, newStoryId: (a) => `n${a.id}`, compareAge: (a, b) => Number(a) - Number(b), candidates });
    index.documents = 1_000;
    const terms = Array.from({ length: QUERY_TERMS }, (_, i) => `term${i}`);
    // Term i is used by 40 stories, overlapping its neighbours', so stories gather 1 to 3 terms'
    // weight, with many ties.
    for (const [i, term] of terms.entries()) {
      index.setDf(term, 10 + (i % 3));
      index.setPostings(term, Array.from({ length: 40 }, (_, k) => ({ storyId: String(100 + i * 20 + k), lastAt: T0 })));
    }
    const features = { terms: Object.fromEntries(terms.map((t, i) => [t, 1 + (i % 2)])), language: 'en', signature: [] };
    const a = { id: '1', features, titleKey: 'x', eventAt: new Date(T0) };
    const idf = index.idf();
    const weight = new Map<string, number>();
    for (const [i, term] of terms.entries()) {
      for (let k = 0; k < 40; k++) {
        const id = String(100 + i * 20 + k);
        weight.set(id, (weight.get(id) ?? 0) + (features.terms[term] ?? 0) * idf(term));
      }
    }
    expect(weight.size).toBeGreaterThan(cap);
    const expected = [...weight].sort((x, y) => y[1] - x[1] || Number(y[0]) - Number(x[0])).slice(0, cap).map(([id]) => id);
    expect(index.candidateIds(a).sort()).toEqual(expected.sort());
  });
});
