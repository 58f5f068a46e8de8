/**
 * Average-link agglomeration over a sparse graph of pair scores: every item starts alone (or in the
 * group it is given), and the two groups whose articles agree most on average (the sum of
 * their pair scores over the product of their sizes, a missing pair scoring 0) join, again and
 * again, while that average is at least the threshold.
 *
 * Why average-link: a group grows only where most of its articles agree with the newcomer, so one
 * report that shares a name with two events cannot bridge them (single link and a growing centroid
 * both let it), and the result is a function of the graph alone, not of the order articles came in.
 *
 * Cost: each join updates the sums of the two groups' neighbours; with E edges, O(E log E).
 */

export interface ScoredPair {
  a: number;
  b: number;
  score: number;
}

export interface AverageLinkInput {
  /**
   * Items are 0 … size − 1; their order breaks ties (the smaller first item's group joins first),
   * so callers number them in an order of their own (the settle pass: canonical order).
   */
  size: number;
  /** Pair scores, each unordered pair at most once; a pair not given scores 0. */
  pairs: readonly ScoredPair[];
  threshold: number;
  /**
   * Groups the items start in (each item in one at most), the others alone. Two `fixed` ones
   * never join each other (an editor's stories, stories from before the window).
   */
  groups?: readonly { items: readonly number[]; fixed?: boolean }[];
}

interface Group {
  items: number[];
  /** The smallest item: the group's place in tie-breaks. */
  first: number;
  /** Whether it holds a fixed group (two such never join). */
  fixed: boolean;
  /** Neighbouring group → the sum of the pair scores between the two. */
  sums: Map<number, number>;
  /** Bumped on every change: heap entries of an older version are stale. */
  version: number;
}

interface Candidate {
  mean: number;
  /** The two groups' firsts, smaller then larger: the tie-break. */
  low: number;
  high: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

/** Larger mean first, then the pair of earlier groups. */
function before(x: Candidate, y: Candidate): boolean {
  return x.mean > y.mean || (x.mean === y.mean && (x.low < y.low || (x.low === y.low && x.high < y.high)));
}

class CandidateHeap {
  private readonly items: Candidate[] = [];

  get size(): number {
    return this.items.length;
  }

  push(c: Candidate): void {
    const h = this.items;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Candidate, h[parent] as Candidate)) break;
      [h[i], h[parent]] = [h[parent] as Candidate, h[i] as Candidate];
      i = parent;
    }
  }

  pop(): Candidate | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && before(h[l] as Candidate, h[best] as Candidate)) best = l;
        if (r < h.length && before(h[r] as Candidate, h[best] as Candidate)) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best] as Candidate, h[i] as Candidate];
        i = best;
      }
    }
    return top;
  }
}

/** The groups, each its items in ascending order, in order of their first items. */
export function averageLink(input: AverageLinkInput): number[][] {
  const groupOf = new Int32Array(input.size).fill(-1);
  const groups: Group[] = [];
  const open = (items: number[], fixed: boolean) => {
    const id = groups.length;
    for (const i of items) groupOf[i] = id;
    groups.push({ items, first: Math.min(...items), fixed, sums: new Map(), version: 0 });
  };
  for (const start of input.groups ?? []) {
    const items = start.items.filter((i) => groupOf[i] === -1);
    if (items.length > 0) open(items, start.fixed ?? false);
  }
  for (let i = 0; i < input.size; i++) if (groupOf[i] === -1) open([i], false);

  for (const { a, b, score } of input.pairs) {
    const ga = groupOf[a] as number;
    const gb = groupOf[b] as number;
    if (ga === gb || !(score > 0)) continue;
    const x = groups[ga] as Group;
    const y = groups[gb] as Group;
    x.sums.set(gb, (x.sums.get(gb) ?? 0) + score);
    y.sums.set(ga, (y.sums.get(ga) ?? 0) + score);
  }

  const heap = new CandidateHeap();
  const offer = (a: number, b: number) => {
    const x = groups[a] as Group;
    const y = groups[b] as Group;
    if (x.fixed && y.fixed) return;
    const mean = (x.sums.get(b) ?? 0) / (x.items.length * y.items.length);
    if (mean < input.threshold) return;
    heap.push({ mean, low: Math.min(x.first, y.first), high: Math.max(x.first, y.first), a, b, va: x.version, vb: y.version });
  };
  groups.forEach((g, a) => {
    for (const b of g.sums.keys()) if (a < b) offer(a, b);
  });

  while (heap.size > 0) {
    const c = heap.pop() as Candidate;
    const x = groups[c.a] as Group;
    const y = groups[c.b] as Group;
    if (x.version !== c.va || y.version !== c.vb) continue;
    // The larger group takes in the smaller: fewer sums to move.
    const [into, from] = x.items.length >= y.items.length ? [c.a, c.b] : [c.b, c.a];
    const keep = groups[into] as Group;
    const gone = groups[from] as Group;
    for (const i of gone.items) keep.items.push(i);
    keep.first = Math.min(keep.first, gone.first);
    keep.fixed ||= gone.fixed;
    keep.sums.delete(from);
    for (const [n, sum] of gone.sums) {
      if (n === into) continue;
      const neighbour = groups[n] as Group;
      keep.sums.set(n, (keep.sums.get(n) ?? 0) + sum);
      neighbour.sums.set(into, (neighbour.sums.get(into) ?? 0) + sum);
      neighbour.sums.delete(from);
    }
    gone.items = [];
    gone.sums = new Map();
    gone.version++;
    keep.version++;
    for (const n of keep.sums.keys()) offer(into, n);
  }

  return groups
    .filter((g) => g.items.length > 0)
    .map((g) => g.items.sort((p, q) => p - q))
    .sort((p, q) => (p[0] as number) - (q[0] as number));
}
