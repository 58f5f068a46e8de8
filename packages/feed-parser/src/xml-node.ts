/**
 * Helpers for reading xml2js nodes (what rss-parser hands back). With xml2js defaults an element
 * is a string (text only), `''` (empty), or an object holding its attributes in `$`, its text in
 * `_` and its child elements as arrays under their names.
 */

export type XmlRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is XmlRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an array: arrays as they are, a single value wrapped, absent values empty. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** An attribute of an element node, when it is a string. */
export function attr(node: unknown, name: string): string | undefined {
  if (!isRecord(node) || !isRecord(node.$)) return undefined;
  const value = node.$[name];
  return typeof value === 'string' ? value : undefined;
}

/** The attributes object itself (rss-parser custom field `['$', 'attrs', { keepArray: true }]`). */
export function attrFrom(attrs: unknown, name: string): string | undefined {
  if (!isRecord(attrs)) return undefined;
  const value = attrs[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether these attributes declare an `xml:base` (a non-empty one). */
export function declaresBase(attrs: unknown): boolean {
  return (attrFrom(attrs, 'xml:base')?.trim() ?? '') !== '';
}

/** A child element of a node (first occurrence). */
export function child(node: unknown, name: string): unknown {
  return isRecord(node) ? asArray(node[name])[0] : undefined;
}

/**
 * All text inside a node, as given: a string as is, an element's own text, or (for inline markup
 * such as Atom `type="xhtml"` titles) the text of its descendants in document order as far as
 * xml2js keeps it.
 */
export function textOf(node: unknown, depth = 0): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map((n) => textOf(n, depth + 1)).join('');
  if (!isRecord(node) || depth > 20) return '';
  if (typeof node._ === 'string') return node._;
  let text = '';
  for (const [key, value] of Object.entries(node)) {
    if (key !== '$') text += textOf(value, depth + 1);
  }
  return text;
}

/** Trimmed text of a node, or null when empty. */
export function trimmedText(node: unknown): string | null {
  const text = textOf(node).trim();
  return text === '' ? null : text;
}

/** The first of several candidates with non-empty text, trimmed. */
export function firstText(...nodes: unknown[]): string | null {
  for (const node of nodes) {
    const text = trimmedText(node);
    if (text !== null) return text;
  }
  return null;
}

/** Parses a non-negative integer attribute such as an enclosure length. */
export function nonNegativeInt(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

const EMAIL = /^(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+$/i;

/**
 * A person's name from an author node: Atom/JSON-style `<author><name>…</name></author>` (else its
 * `<email>`), or plain text. RSS's `email (Name)` convention and its common inversion
 * `Name (email)` yield the name; a bare address is kept as the only thing there is to show.
 */
export function personName(node: unknown): string | null {
  // An element: its name (else e-mail) child; else its own text. A person given by `<uri>` alone
  // has no name to show.
  const name = !isRecord(node)
    ? trimmedText(node)
    : 'name' in node || 'atom:name' in node || 'email' in node || 'atom:email' in node
      ? firstText(child(node, 'name'), child(node, 'atom:name'), child(node, 'email'), child(node, 'atom:email'))
      : firstText(node._);
  if (name === null) return null;
  const parenthesised = /^(.+?)\s*\(([^()]+)\)$/.exec(name);
  if (parenthesised) {
    const outside = parenthesised[1]?.trim() ?? '';
    const inside = parenthesised[2]?.trim() ?? '';
    if (EMAIL.test(outside) && inside) return inside;
    if (EMAIL.test(inside) && outside) return outside;
  }
  return name;
}

/** Distinct non-empty trimmed strings, in order. */
export function distinct(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const text = value?.trim();
    if (text) seen.add(text);
  }
  return [...seen];
}
