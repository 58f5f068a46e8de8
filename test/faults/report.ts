import { KNOBS } from './knobs.js';
import type { ScenarioResult } from './run-scenario.js';

export interface ReportRow {
  result: ScenarioResult;
  /** null for a control run itself. */
  matchesControl: boolean | null;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function processes(r: ScenarioResult): string {
  const dead = r.processes.filter((p) => !p.alive || p.unexpectedExits.length > 0);
  const kills = r.processes.reduce((n, p) => n + p.kills, 0);
  const state = dead.length === 0 ? 'all alive' : `${dead.length} died: ${dead.map((p) => p.name).join(', ')}`;
  return kills > 0 ? `${state} (${kills} kill -9)` : state;
}

function recovery(r: ScenarioResult): string {
  if (r.recoverySeconds === null) return `not within ${(r.faultFree ? KNOBS.ingestCapMs : KNOBS.settleCapMs) / 1000}`;
  return r.faultFree ? `(ingest ${r.recoverySeconds.toFixed(1)})` : r.recoverySeconds.toFixed(1);
}

/** The suite's summary: one Markdown row per scenario, then what happened in the ones that failed. */
export function renderReport(rows: readonly ReportRow[], wallSeconds: number): string {
  const header = ['scenario', 'items served', 'stored', 'duplicates', 'without a story', 'grouping = expected', 'grouping = control', 'recovery s', 'processes'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const { result: r, matchesControl } of rows) {
    const cells = [
      r.name,
      String(r.served),
      String(r.stored),
      String(r.duplicates),
      String(r.unplaced),
      yesNo(r.matchesExpected),
      matchesControl === null ? '(control)' : yesNo(matchesControl),
      recovery(r),
      processes(r),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', `Recovery: seconds from the fault's end until every served item is stored and placed (no fault: ingest time, from subscribing); the limit is ${KNOBS.recoveryLimitMs / 1000} s. Suite wall time ${wallSeconds.toFixed(0)} s.`);
  for (const { result: r } of rows) {
    const exits = r.processes.flatMap((p) =>
      p.unexpectedExits.map((e) => `${p.name} exited (${e.code ?? e.signal}): ${crashReason(e.stderr)}`),
    );
    if (r.notes.length === 0 && exits.length === 0) continue;
    lines.push('', `${r.name} (${r.wallSeconds.toFixed(0)} s; logs ${r.logDir}):`, ...r.notes.map((n) => `  ${n}`), ...exits.map((e) => `  ${e}`));
  }
  return lines.join('\n');
}

/** What a crash's stderr says went wrong: the error's message rather than the stack below it. */
function crashReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const message = lines.find((l) => /^[\w.]*(Error|error)( \[\w+\])?: /.test(l)) ?? lines.at(-1) ?? '(nothing on stderr)';
  const unhandled = lines.some((l) => l.includes("Unhandled 'error' event"));
  return `${unhandled ? "unhandled 'error' event: " : ''}${message}`.slice(0, 200);
}
