import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorpus } from './corpus.js';
import { sameGrouping } from './grouping.js';
import { KNOBS } from './knobs.js';
import { createLimiter } from './limit.js';
import { renderReport, type ReportRow } from './report.js';
import { runScenario, type Scenario, type ScenarioResult } from './run-scenario.js';
import { scenarios } from './scenarios.js';
import { createRunDir, prepareDatabaseTemplate, type DatabaseTemplate } from './run-dir.js';

/**
 * The fault suite (`pnpm test:faults`): newsfold's services as separate processes against a
 * Postgres and a Redis of each scenario's own, faults injected while they ingest a generated
 * corpus, and the guarantees checked from the database once things have settled. Scenarios run
 * side by side; the summary table is printed at the end and written, with every figure, to the
 * run's directory (which keeps the process logs of each scenario that broke a guarantee).
 *
 * FAULTS_ONLY=name[,name…] runs those scenarios and their control alone; FAULTS_KEEP_LOGS=1 keeps
 * every scenario's logs. Time limits and sizes are in knobs.ts.
 */

const now = new Date();
const { control, faults } = scenarios({ main: createCorpus({ ...KNOBS.corpus, now }) });
const controlOf = (_: Scenario) => control;
// FAULTS_ONLY=name,name runs those scenarios (and their controls) alone, while working on one.
const only = process.env.FAULTS_ONLY?.split(',').filter(Boolean);
const chosen = (s: Scenario) => !only || only.includes(s.name) || faults.some((f) => only.includes(f.name) && controlOf(f) === s);
const all = [control, ...faults].filter(chosen);

const started = Date.now();
const runs = new Map<string, Promise<ScenarioResult>>();
let runDir = '';
let template: DatabaseTemplate | undefined;

beforeAll(async () => {
  runDir = await createRunDir();
  template = await prepareDatabaseTemplate(runDir);
  const dataDir = template.dataDir;
  const limit = createLimiter(KNOBS.parallelScenarios, KNOBS.startGapMs);
  // The two longest (the outage, the assigner killed twice) first, so that the waits overlap.
  for (const scenario of [...faults.slice(0, 2), control, ...faults.slice(2)].filter(chosen)) {
    const run = limit(() => runScenario(scenario, runDir, dataDir));
    // Failures are reported by the scenario's own test; this keeps an early one from being unhandled.
    run.catch(() => undefined);
    runs.set(scenario.name, run);
  }
});

afterAll(async () => {
  const rows: ReportRow[] = [];
  for (const scenario of all) {
    const result = await runs.get(scenario.name)?.catch(() => undefined);
    const reference = await runs.get(controlOf(scenario).name)?.catch(() => undefined);
    if (!result) continue;
    rows.push({ result, matchesControl: scenario === controlOf(scenario) ? null : reference ? sameGrouping(result.groups, reference.groups) : false });
  }
  await template?.destroy();
  const report = renderReport(rows, (Date.now() - started) / 1000);
  await writeFile(path.join(runDir, 'summary.md'), `${report}\n`);
  await writeFile(path.join(runDir, 'results.json'), JSON.stringify(rows, null, 2));
  console.log(`${report}\n\n(summary and results.json in ${runDir})`);
});

describe('fault suite', () => {
  for (const scenario of all) {
    it(scenario.name, async () => {
      const result = await (runs.get(scenario.name) as Promise<ScenarioResult>);
      expect.soft(result.served, 'every feed served').toBe(result.corpusItems);
      expect.soft(result.stored, 'every served item stored').toBe(result.served);
      expect.soft(result.duplicates, 'items stored twice').toBe(0);
      expect.soft(result.stray, 'articles never served').toBe(0);
      expect.soft(result.unplaced, 'articles without a story').toBe(0);
      expect.soft(result.matchesExpected, 'stories equal the events').toBe(true);
      expect.soft(result.duplicateStories, 'events split over several stories').toBe(0);
      const dead = result.processes.filter((p) => !p.alive || p.unexpectedExits.length > 0);
      expect.soft(dead.map((p) => `${p.name}: ${p.unexpectedExits.map((e) => e.code ?? e.signal).join(', ') || 'not running'}`), 'processes that died').toEqual([]);
      expect.soft(result.apiHealthy, 'api answers /healthz').toBe(true);
      expect.soft(result.notReady, 'services not ready once settled').toEqual([]);
      expect.soft(result.problems, 'what the logs show').toEqual([]);
      expect.soft(result.recoverySeconds, 'settled before the cap').not.toBeNull();
      if (!scenario.faultFree) {
        expect.soft(result.recoverySeconds ?? Infinity, 'seconds to recover after the fault').toBeLessThanOrEqual(KNOBS.recoveryLimitMs / 1000);
      }
      if (scenario !== controlOf(scenario)) {
        const reference = await (runs.get(controlOf(scenario).name) as Promise<ScenarioResult>);
        expect.soft(sameGrouping(result.groups, reference.groups), `same stories as ${reference.name}`).toBe(true);
      }
    });
  }
});
