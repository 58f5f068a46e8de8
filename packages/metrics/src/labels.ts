export type Labels = Readonly<Record<string, string | number | undefined>>;

/** A label value as the text exposition format writes it inside double quotes. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `a="x",b="y"` for the declared label names, in their order; undeclared labels are ignored, missing ones are "". */
export function labelString(names: readonly string[], values: Labels): string {
  return names.map((name) => `${name}="${escapeLabelValue(String(values[name] ?? ''))}"`).join(',');
}

/** `{a="x",le="0.5"}`, or '' when there are no labels at all. */
export function braces(...parts: string[]): string {
  const inner = parts.filter((p) => p !== '').join(',');
  return inner === '' ? '' : `{${inner}}`;
}
