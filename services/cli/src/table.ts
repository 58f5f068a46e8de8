// Control characters (C0, DEL, C1) and bidirectional overrides in a cell: a feed's title could
// otherwise move the cursor, recolour or retitle the operator's terminal, break the table over
// lines, or display reversed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/g;

/** A plain-text table with columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], cells: string[][]): string {
  const rows = cells.map((r) => r.map((cell) => cell.replace(CONTROL, ' ')));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
