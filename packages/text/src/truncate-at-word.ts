/**
 * `text` cut to at most `max` characters and marked with "…" when it was longer: at the last
 * space, unless that would drop more than 40% of what fits (one long word, or text without
 * spaces), then at `max` itself. The rule story summaries follow in SQL too (refreshStories).
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
