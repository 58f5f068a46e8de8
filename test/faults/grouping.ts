/**
 * Stories as a partition of item links, compared independently of story ids and order.
 */

/** One canonical string per partition: groups sorted inside and among themselves. */
export function canonicalGrouping(groups: readonly (readonly string[])[]): string {
  return JSON.stringify(groups.map((g) => [...g].sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')));
}

export function sameGrouping(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean {
  return canonicalGrouping(a) === canonicalGrouping(b);
}

/**
 * How a grouping departs from the expected one: events whose items are spread over more than one
 * story (a duplicate story for each extra), and stories mixing items of different events.
 */
export function groupingErrors(
  groups: readonly (readonly string[])[],
  eventOf: (link: string) => number | null,
): { duplicateStories: number; mixedStories: number } {
  const storiesPerEvent = new Map<number | null, number>();
  let mixedStories = 0;
  for (const group of groups) {
    const events = new Set(group.map(eventOf));
    if (events.size > 1) mixedStories += 1;
    for (const event of events) storiesPerEvent.set(event, (storiesPerEvent.get(event) ?? 0) + 1);
  }
  let duplicateStories = 0;
  for (const count of storiesPerEvent.values()) duplicateStories += count - 1;
  return { duplicateStories, mixedStories };
}
