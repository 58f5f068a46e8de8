import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStory } from '@newsfold/db';
import { createLogger } from '@newsfold/logging';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { placePending } from '@newsfold/stories';
import { normalizeEntries } from './normalize-entries.js';
import { dayEntries, dayJobs, describePlacements, goldGroups, loadNewsDay, placements, storyGroups, type Placement } from './testdata/news-day.js';

/**
 * The product's promise, on the seed story: five outlets report the US–Ukraine talks in
 * Jeddah in five different headlines, and newsfold shows one story with five sources. The same
 * morning brings other events that share its names — Ukraine's drone attack on Moscow, Russian
 * strikes on Ukrainian cities, a new Jeddah stadium for Saudi Arabia's World Cup — and each
 * must stay a story of its own. One normalize job per outlet, through the production path.
 */

const HOUR = 3_600_000;
const day = loadNewsDay();
const entries = dayEntries(day);
const REASON = /^(new-story|near-copy|same-title|(similar|merged): (0\.\d\d|1\.00))$/;

describe('the seed story: US–Ukraine talks in Jeddah among the same morning’s news', () => {
  let db: TestDatabase;
  let placed: Placement[];
  let report: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const deps = { pool: db.pool, log: createLogger({ level: 'silent' }) };
    for (const job of await dayJobs(db.pool, day)) await normalizeEntries(deps, job);
    await placePending(db.pool, { windowMs: 72 * HOUR });
    placed = await placements(db.pool);
    report = describePlacements(day, placed);
  });
  afterAll(() => db?.drop());

  const storyIdsOf = (event: string) => {
    const urls = new Set(entries.filter((e) => e.event === event).map((e) => e.storedUrl));
    return [...new Set(placed.filter((p) => urls.has(p.url)).map((p) => p.storyId))];
  };
  const eventsIn = (storyId: string) => {
    const urls = new Set(placed.filter((p) => p.storyId === storyId).map((p) => p.url));
    return [...new Set(entries.filter((e) => urls.has(e.storedUrl)).map((e) => e.event))].sort();
  };

  it('stores every entry as one article', () => {
    expect(placed.map((p) => p.url).sort()).toEqual(entries.map((e) => e.storedUrl).sort());
  });

  it('never puts two events in one story: the talks, the drone attack, the strikes and the stadium stay apart', () => {
    for (const event of ['jeddah-talks', 'moscow-drones', 'odesa-strike', 'jeddah-stadium']) {
      for (const id of storyIdsOf(event)) expect(eventsIn(id), `${event}'s story ${id} holds other events:${report}`).toEqual([event]);
    }
  });

  // The headlines alone share almost no words ("Zelensky's team arrives in Saudi Arabia…" and
  // "Rubio says he will listen to Kyiv's proposals…" share none), and no threshold on headline
  // similarity separates these reports from the other events. What folds them is what their
  // feeds' summaries name — Rubio, Yermak, Waltz, Jeddah — counted like headline names, against
  // story centroids that keep those names (features.ts, decide-story.ts). With one-sentence
  // summaries they still land in several stories.
  it('folds the five outlets’ reports of the Jeddah talks into one story with five sources', async () => {
    const ids = storyIdsOf('jeddah-talks');
    expect(ids, `the Jeddah reports landed in ${ids.length} stories:${report}`).toHaveLength(1);
    const story = await getStory(db.pool, ids[0] as string);
    expect(story, report).toMatchObject({ sourceCount: 5, articleCount: 5 });
  });

  it('groups the day exactly by event', async () => {
    expect(await storyGroups(db.pool), report).toEqual(goldGroups(day));
  });

  it('says why each article is where it is', () => {
    for (const p of placed) expect(p.reason, p.title).toMatch(REASON);
  });

  it('titles each story with its earliest article’s headline', async () => {
    const stories = new Set(placed.map((p) => p.storyId));
    for (const id of stories) {
      const first = placed.filter((p) => p.storyId === id).sort((a, b) => a.eventAt.getTime() - b.eventAt.getTime())[0];
      expect((await getStory(db.pool, id))?.title, report).toBe(first?.title);
    }
    // The Jeddah story in particular: Rubio's remarks (07:05) came before any outlet's report of the talks.
    const earliest = entries.filter((e) => e.event === 'jeddah-talks').sort((a, b) => a.publishedAt.localeCompare(b.publishedAt))[0];
    expect(earliest?.title).toBe('Rubio says he will listen to Kyiv\'s proposals at Jeddah meeting');
    const jeddah = placed.find((p) => p.url === earliest?.storedUrl);
    expect(jeddah?.storyTitle).toBe(earliest?.title);
  });

  it('stores a scraped summary as its article’s own words: no markup, no page chrome', async () => {
    const summary = await summaryOf('courier.example', 'jeddah-talks');
    expect(summary).not.toMatch(/[<>]/);
    expect(summary).toContain('American and Ukrainian officials sat down in the Red Sea port of Jeddah');
    for (const chrome of ['Leave a Reply', 'will not be published', 'Log In', 'username', 'Forgot password', 'reset', 'Privacy Policy', 'Collection']) {
      expect(summary, chrome).not.toContain(chrome);
    }
    // The headline, printed twice above the text and once in the log-in box, is not part of it.
    expect(summary).not.toContain('hold crucial talks');
  });

  it('drops a share bar and newsletter prompt from a summary', async () => {
    const summary = await summaryOf('gulfherald.example', 'jeddah-stadium');
    expect(summary).toContain('published renderings of the Qiddiya Coast ground');
    for (const chrome of ['Related Posts', 'Subscribe to our newsletter', 'Share this', 'WhatsApp']) expect(summary, chrome).not.toContain(chrome);
  });

  async function summaryOf(site: string, event: string): Promise<string> {
    const entry = entries.find((e) => e.event === event && e.outlet.site === site);
    const { rows } = await db.pool.query<{ summary: string }>('SELECT summary FROM articles WHERE url = $1', [entry?.storedUrl]);
    return rows[0]?.summary ?? '';
  }
});
