/**
 * Terms numbered in the order they are first met, so that vectors can be held as arrays of
 * numbers (sparse-vector.ts) and compared without hashing a string per shared term. Append-only:
 * a number, once given, keeps its term for the life of the table, and every vector built with one
 * table may be compared with any other built with it.
 */
export class TermIds {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  get size(): number {
    return this.names.length;
  }

  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
    }
    return id;
  }

  term(id: number): string {
    const name = this.names[id];
    if (name === undefined) throw new Error(`no term numbered ${id}`);
    return name;
  }
}
