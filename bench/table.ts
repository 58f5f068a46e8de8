/** Prints rows as an aligned text table; numbers below 10 get three decimals. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) >= 10 ? String(v) : v.toFixed(3)) : v);
  const text = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of text) console.log(line(r));
}
