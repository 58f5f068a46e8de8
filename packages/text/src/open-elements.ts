import { VOID_ELEMENTS } from './html-policy.js';

/**
 * Nesting deeper than this is flattened (further tags unwrapped). Real articles stay far below it;
 * the cap bounds the work per tag, so pathological nesting stays linear.
 */
const MAX_DEPTH = 256;

/** Elements whose start closes an open `p` (HTML's "close a p element in button scope"). */
const CLOSES_P = new Set([
  'p', 'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'figure',
  'figcaption', 'table', 'hr',
]);

const HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);
const CELLS = new Set(['td', 'th']);
const SECTIONS = new Set(['thead', 'tbody']);

/** Searches for an element to close stop at these: a table cell is its own little document. */
const DEFAULT_SCOPE = new Set(['table', 'td', 'th']);
const LIST_SCOPE = new Set(['table', 'td', 'th', 'ul', 'ol']);
const ROW_SCOPE = new Set(['table', 'tr']);
const TABLE_SCOPE = new Set(['table']);
const NO_SCOPE = new Set<string>();

/**
 * The stack of elements open in the output. Every start tag written is closed again, in order,
 * so the output is well-formed whatever the input did; the few implied ends of HTML that matter
 * for the result's structure are applied (a block start closes an open `p`, a `li` closes the
 * previous `li`, a cell the previous cell, a heading an open heading, a link an open link).
 */
export class OpenElements {
  private readonly stack: string[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly out: string[]) {}

  /** Writes a start tag (attributes already serialised); past MAX_DEPTH open elements, nothing. */
  open(name: string, attributes: string): void {
    if (CLOSES_P.has(name)) this.closeInScope(single('p'), DEFAULT_SCOPE);
    if (name === 'li') this.closeInScope(single('li'), LIST_SCOPE);
    else if (HEADINGS.has(name)) this.closeInScope(HEADINGS, DEFAULT_SCOPE);
    else if (name === 'a') this.closeInScope(single('a'), DEFAULT_SCOPE);
    else if (CELLS.has(name)) this.closeInScope(CELLS, ROW_SCOPE);
    else if (name === 'tr') this.closeInScope(single('tr'), TABLE_SCOPE);
    else if (SECTIONS.has(name)) this.closeInScope(SECTIONS, TABLE_SCOPE);

    if (VOID_ELEMENTS.has(name)) {
      this.out.push(`<${name}${attributes}>`);
      return;
    }
    if (this.stack.length >= MAX_DEPTH) return;
    this.out.push(`<${name}${attributes}>`);
    this.stack.push(name);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  /** Handles an end tag: closes the element and everything opened inside it, or nothing. */
  close(name: string): void {
    let scope = DEFAULT_SCOPE;
    if (name === 'table') scope = NO_SCOPE;
    else if (name === 'tr' || CELLS.has(name) || SECTIONS.has(name)) scope = TABLE_SCOPE;
    else if (name === 'li') scope = LIST_SCOPE;
    this.closeInScope(single(name), scope);
  }

  /** Closes everything still open. */
  finish(): void {
    while (this.stack.length > 0) this.pop();
  }

  /**
   * Closes the innermost open element named in `names`, and everything above it, unless one of
   * `boundaries` is found first.
   */
  private closeInScope(names: ReadonlySet<string>, boundaries: ReadonlySet<string>): void {
    let any = false;
    for (const name of names) if ((this.counts.get(name) ?? 0) > 0) any = true;
    if (!any) return;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const open = this.stack[i] as string;
      if (names.has(open)) {
        while (this.stack.length > i) this.pop();
        return;
      }
      if (boundaries.has(open)) return;
    }
  }

  private pop(): void {
    const name = this.stack.pop();
    if (name === undefined) return;
    this.counts.set(name, (this.counts.get(name) ?? 1) - 1);
    this.out.push(`</${name}>`);
  }
}

const singles = new Map<string, ReadonlySet<string>>();

function single(name: string): ReadonlySet<string> {
  let set = singles.get(name);
  if (set === undefined) {
    set = new Set([name]);
    singles.set(name, set);
  }
  return set;
}
