import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcubed } from '@newsfold/clustering';
import { createLogger } from '@newsfold/logging';
import { createTestDatabase, type TestDatabase } from '@newsfold/testing';
import { placePending, settleStories } from '@newsfold/stories';
import { normalizeEntries } from './normalize-entries.js';
import { dayEntries, dayJobs, describePlacements, loadNewsDay, placements, type NewsDay, type Placement } from './testdata/news-day.js';

/**
 * Busy news days written as test data, never fitted on, through the production path and settled,
 * as readers see them: many events on one day, many sharing a main actor with another.
 */

const HOUR = 3_600_000;

interface SettledDay {
  placed: Placement[];
  /** What went where, for failure messages. */
  report: string;
  /** B-cubed of the stories against the events. */
  score(): ReturnType<typeof bcubed>;
  /** Stories holding more than one event, as "id: events". */
  mixed(): string[];
}

/** One normalize job per outlet, the assigner, one settle pass at `at`; the database dropped after the suite. */
function settledDay(day: NewsDay, at: string): SettledDay {
  let db: TestDatabase;
  const eventOf = new Map(dayEntries(day).map((e) => [e.storedUrl, e.event]));
  const settled: SettledDay = {
    placed: [],
    report: '',
    score: () => bcubed(settled.placed.map((p) => p.storyId), settled.placed.map((p) => eventOf.get(p.url) ?? '?')),
    mixed: () => {
      const events = new Map<string, Set<string>>();
      for (const p of settled.placed) events.set(p.storyId, (events.get(p.storyId) ?? new Set()).add(eventOf.get(p.url) ?? '?'));
      return [...events].filter(([, held]) => held.size > 1).map(([id, held]) => `${id}: ${[...held].join(', ')}`);
    },
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    const deps = { pool: db.pool, log: createLogger({ level: 'silent' }) };
    for (const job of await dayJobs(db.pool, day, at)) await normalizeEntries(deps, job);
    await placePending(db.pool, { windowMs: 72 * HOUR });
    await settleStories(db.pool, { windowMs: 72 * HOUR, spanMs: 24 * HOUR, now: new Date(at) });
    settled.placed = await placements(db.pool);
    settled.report = describePlacements(day, settled.placed);
  }, 60_000);
  afterAll(() => db?.drop());
  it('places every report in a story', () => {
    expect(settled.placed.map((p) => p.url).sort()).toEqual(dayEntries(day).map((e) => e.storedUrl).sort());
  });
  return settled;
}

/**
 * testdata/crowded-day.json: 44 events from ten outlets, a president in four, a company in three.
 * What the folding issue asks of it: no story holding two events, B-cubed F1 ≥ 0.93 at precision
 * ≥ 0.97. Not met yet (`pnpm bench cluster` prints the stories it mixes): the `it.fails` below say
 * so, and are flipped when it is.
 */
describe('a crowded news day: 44 events, many sharing their main actor', () => {
  const day = settledDay(loadNewsDay('crowded-day.json'), '2026-10-15T23:00:00Z');

  it('keeps most stories to one event: the settle pass splits those whose articles disagree', () => {
    // Without the split step the pass leaves this day at precision 0.80 here (its IDF from the day
    // alone); with the split and join steps 0.94, F1 0.89.
    const score = day.score();
    expect(score.precision, day.report).toBeGreaterThanOrEqual(0.92);
    expect(score.f1, day.report).toBeGreaterThanOrEqual(0.85);
  });

  it.fails('never puts two events in one story', () => {
    expect(day.mixed(), day.report).toEqual([]);
  });

  it.fails('groups the day at B-cubed F1 ≥ 0.93 with precision ≥ 0.97', () => {
    const score = day.score();
    expect(score.precision, day.report).toBeGreaterThanOrEqual(0.97);
    expect(score.f1, day.report).toBeGreaterThanOrEqual(0.93);
  });
});

/**
 * Days written after the steps that keep events apart were tuned, each by a helper session from a
 * brief. busy-day.json then chose between variants of the join step, so it is no longer unseen;
 * third-day.json was measured once after everything was settled and never tuned on. Each guard sits
 * below what the day measures here and far above what it measured without the split and join steps.
 */
const CHECKED_DAYS = [
  {
    file: 'busy-day.json',
    at: '2027-03-09T23:45:00Z',
    what: 'a second busy news day: 44 events, 24 sharing their main actor (a prime minister in four; a carmaker, a city, a neighbour and a club in three)',
    // Measured: precision 0.90, F1 0.83; without the steps precision 0.75.
    precision: 0.88,
    f1: 0.8,
  },
  {
    file: 'third-day.json',
    at: '2027-06-18T23:45:00Z',
    what: 'a third crowded news day, checked on after tuning: 45 events, 22 sharing their main actor (a prime minister in four; an energy group and a neighbour in three)',
    // Measured: precision 0.95, F1 0.88, 6 stories mixing events; without the steps 0.79, 0.83, 11.
    precision: 0.93,
    f1: 0.85,
  },
];

for (const checked of CHECKED_DAYS) {
  describe(checked.what, () => {
    const day = settledDay(loadNewsDay(checked.file), checked.at);

    it('keeps most stories to one event', () => {
      const score = day.score();
      expect(score.precision, day.report).toBeGreaterThanOrEqual(checked.precision);
      expect(score.f1, day.report).toBeGreaterThanOrEqual(checked.f1);
    });
  });
}
