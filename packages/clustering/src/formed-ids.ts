/**
 * Story ids as the settle pass compares them: stored ones (integers) and the ones it forms for new
 * groups.
 */

/** Groups formed by the pass are "~" and their first article's rank: they sort after stored ids, in canonical order among themselves. */
const FORMED = '~';
export const formedId = (rank: number) => `${FORMED}${String(rank).padStart(10, '0')}`;
export const isFormed = (id: string) => id.startsWith(FORMED);

/** Strings by code unit. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Stored (fixed) stories are older than formed ones; stored by numeric id (integers without
 * leading zeros: the shorter is smaller, then by digits), formed by rank (zero-padded).
 */
export function compareAge(a: string, b: string): number {
  const fa = isFormed(a);
  const fb = isFormed(b);
  if (fa !== fb) return fa ? 1 : -1;
  return a.length - b.length || cmp(a, b);
}
