import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcubed } from '@newsfold/clustering';
import { createLogger } from '@newsfold/logging';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { placePending, settleStories } from '@newsfold/stories';
import { normalizeEntries } from './normalize-entries.js';
import { dayEntries, dayJobs, describePlacements, loadNewsDay, placements, type Placement } from './testdata/news-day.js';

/**
 * A crowded news day (testdata/crowded-day.json, never fitted on): 44 events from ten outlets,
 * many sharing a main actor with another (a president in four, a company in three), through the
 * production path and settled, as readers see it. What the folding issue asks of it: no story
 * holding two events, B-cubed F1 ≥ 0.93 at precision ≥ 0.97. Today's centroid rule does not
 * meet it (`pnpm bench cluster` prints the stories it mixes): the `it.fails` below say so, and
 * are flipped when the rule does.
 */

const HOUR = 3_600_000;
const day = loadNewsDay('crowded-day.json');
const entries = dayEntries(day);

describe('a crowded news day: 44 events, many sharing their main actor', () => {
  let db: TestDatabase;
  let placed: Placement[];
  let report: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const deps = { pool: db.pool, log: createLogger({ level: 'silent' }) };
    for (const job of await dayJobs(db.pool, day, '2026-10-15T23:00:00Z')) await normalizeEntries(deps, job);
    await placePending(db.pool, { windowMs: 72 * HOUR });
    await settleStories(db.pool, { windowMs: 72 * HOUR, spanMs: 24 * HOUR, now: new Date('2026-10-15T23:00:00Z') });
    placed = await placements(db.pool);
    report = describePlacements(day, placed);
  }, 60_000);
  afterAll(() => db?.drop());

  const eventOf = new Map(entries.map((e) => [e.storedUrl, e.event]));

  it('places every report in a story', () => {
    expect(placed.map((p) => p.url).sort()).toEqual(entries.map((e) => e.storedUrl).sort());
  });

  it.fails('never puts two events in one story', () => {
    const events = new Map<string, Set<string>>();
    for (const p of placed) events.set(p.storyId, (events.get(p.storyId) ?? new Set()).add(eventOf.get(p.url) ?? '?'));
    const mixed = [...events].filter(([, held]) => held.size > 1).map(([id, held]) => `${id}: ${[...held].join(', ')}`);
    expect(mixed, report).toEqual([]);
  });

  it.fails('groups the day at B-cubed F1 ≥ 0.93 with precision ≥ 0.97', () => {
    const score = bcubed(placed.map((p) => p.storyId), placed.map((p) => eventOf.get(p.url) ?? '?'));
    expect(score.precision, report).toBeGreaterThanOrEqual(0.97);
    expect(score.f1, report).toBeGreaterThanOrEqual(0.93);
  });
});
