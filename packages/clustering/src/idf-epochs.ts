import { LayeredMap } from './layered-map.js';
import { idfFromCounts, type Idf } from './similarity.js';

/**
 * Document counts and the IDF worked out from them, in epochs: the epoch moves whenever the IDF
 * does, and IDF values, and centroids weighted by them, from an older epoch are stale. Within an
 * epoch a term's IDF is worked out once, the first time it is asked for, over the documents
 * counted when the epoch began. With a `drift`, counting documents moves the epoch only once they
 * grew by that share since it last moved.
 */
export class IdfEpochs {
  private df = new LayeredMap<string, number>();
  private documentCount = 0;
  private epochNumber = 0;
  /** Documents counted when the epoch last moved for counting. */
  private documentsAtEpoch = 0;
  private current: { epoch: number; documents: number; values: LayeredMap<string, number>; idf: Idf } | null = null;

  constructor(private readonly drift = 0) {}

  get epoch(): number {
    return this.epochNumber;
  }

  get documents(): number {
    return this.documentCount;
  }

  set documents(count: number) {
    this.documentCount = count;
    this.move();
  }

  hasDf(term: string): boolean {
    return this.df.has(term);
  }

  setDf(term: string, count: number): void {
    this.df.set(term, count);
    // A term whose IDF nobody asked for yet leaves the values worked out so far as they are.
    if (this.current?.values.has(term) ?? false) this.epochNumber += 1;
  }

  /** Counts documents, each with its terms. */
  count(documents: readonly (readonly string[])[]): void {
    for (const terms of documents) for (const term of terms) this.df.set(term, (this.df.get(term) ?? 0) + 1);
    this.documentCount += documents.length;
    if (this.documentCount > this.documentsAtEpoch * (1 + this.drift)) this.move();
  }

  idf(): Idf {
    if (this.current?.epoch === this.epochNumber) return this.current.idf;
    this.current = this.worked(this.documentCount, new LayeredMap());
    return this.current.idf;
  }

  /** A copy that goes its own way from here, in the same epoch (centroids weighted in it stay valid). */
  clone(): IdfEpochs {
    const copy = new IdfEpochs(this.drift);
    copy.df = this.df.clone();
    copy.documentCount = this.documentCount;
    copy.epochNumber = this.epochNumber;
    copy.documentsAtEpoch = this.documentsAtEpoch;
    if (this.current) copy.current = copy.worked(this.current.documents, this.current.values.clone(), this.current.epoch);
    return copy;
  }

  private worked(documents: number, values: LayeredMap<string, number>, epoch = this.epochNumber): NonNullable<IdfEpochs['current']> {
    const counted = idfFromCounts(this.df, documents);
    const idf: Idf = (term) => {
      let value = values.get(term);
      if (value === undefined) values.set(term, (value = counted(term)));
      return value;
    };
    return { epoch, documents, values, idf };
  }

  private move(): void {
    this.epochNumber += 1;
    this.documentsAtEpoch = this.documentCount;
  }
}
