import { asArray, isRecord, type XmlRecord } from './xml-node.js';

/**
 * The element names we copy out of xml2js nodes, in rss-parser's custom-field notation, and a
 * copier that does what rss-parser's copyFromXML does with them, minus its per-call overhead.
 */

type Field = string | [string, string] | [string, string, { keepArray: boolean }];

const ALL = { keepArray: true };

export const ITEM_FIELDS: Field[] = [
  'content:encoded',
  'dc:creator',
  'dc:date',
  ['dc:author', 'dcAuthor'],
  'published',
  'updated',
  'issued',
  'modified',
  'created',
  ['atom:updated', 'atomUpdated'],
  ['atom:published', 'atomPublished'],
  ['atom:content', 'atomContent'],
  ['atom:summary', 'atomSummary'],
  ['atom:link', 'atomLinks', ALL],
  ['atom:author', 'atomAuthorNodes', ALL],
  ['dc:description', 'dcDescription'],
  ['itunes:summary', 'itunesSummary'],
  ['itunes:author', 'itunesAuthor'],
  ['itunes:image', 'itunesImage'],
  ['itunes:keywords', 'itunesKeywords'],
  ['dcterms:modified', 'dctermsModified'],
  ['atom:category', 'atomCategoryNodes', ALL],
  ['media:content', 'mediaContent', ALL],
  ['media:thumbnail', 'mediaThumbnail', ALL],
  ['media:group', 'mediaGroup', ALL],
  ['$', 'attrs', ALL],
  ['link', 'links', ALL],
  ['guid', 'guidNodes', ALL],
  ['category', 'categoryNodes', ALL],
  ['dc:subject', 'dcSubjects', ALL],
  ['enclosure', 'enclosures', ALL],
  ['author', 'authorNodes', ALL],
  ['content', 'contentNodes', ALL],
  ['summary', 'summaryNodes', ALL],
  ['title', 'titleNodes', ALL],
];

export const FEED_FIELDS: Field[] = [
  'ttl',
  'language',
  'subtitle',
  'tagline',
  'updated',
  ['dc:language', 'dcLanguage'],
  ['dc:description', 'dcDescription'],
  ['itunes:summary', 'itunesSummary'],
  ['atom:link', 'atomLinks', ALL],
  ['$', 'attrs', ALL],
  ['link', 'links', ALL],
  ['author', 'authorNodes', ALL],
  ['title', 'titleNodes', ALL],
  ['subtitle', 'subtitleNodes', ALL],
  ['tagline', 'taglineNodes', ALL],
];

interface CompiledField {
  from: string;
  to: string;
  keepArray: boolean;
}

/** Fields in order, and where each element name occurs among them. */
export interface FieldTable {
  fields: CompiledField[];
  positions: Map<string, number[]>;
}

/** Fields per table that copyFields can track (the tables below have at most 38). */
const MAX_FIELDS = 64;

function compile(fields: Field[]): FieldTable {
  const compiled = fields.map((field) =>
    typeof field === 'string' ? { from: field, to: field, keepArray: false } : { from: field[0], to: field[1], keepArray: field[2]?.keepArray ?? false },
  );
  const positions = new Map<string, number[]>();
  compiled.forEach((field, i) => positions.set(field.from, [...(positions.get(field.from) ?? []), i]));
  if (compiled.length > MAX_FIELDS) throw new Error(`copyFields handles at most ${MAX_FIELDS} fields`);
  return { fields: compiled, positions };
}

/** rss-parser's own item fields that the mappers read (`dc:title` first, so `title` wins when both are there). */
const RSS_DEFAULT_ITEM_FIELDS: Field[] = [['dc:title', 'title'], 'title', 'pubDate'];
/** rss-parser's own channel fields that the mappers read (its `language` is among ours). */
const RSS_DEFAULT_CHANNEL_FIELDS: Field[] = [['dc:title', 'title'], 'title', 'description'];

export const RSS_ITEM_FIELDS = compile([...RSS_DEFAULT_ITEM_FIELDS, ...ITEM_FIELDS]);
export const ATOM_ITEM_FIELDS = compile(ITEM_FIELDS);
export const RSS_CHANNEL_FIELDS = compile([...RSS_DEFAULT_CHANNEL_FIELDS, ...FEED_FIELDS]);
export const ATOM_FEED_FIELDS = compile(FEED_FIELDS);

/** Which fields an element has, by position: scratch space for copyFields, which never re-enters itself. */
const present = new Uint8Array(MAX_FIELDS);

/**
 * rss-parser's copyFromXML (first node, or all with keepArray; an element's text for `{ _: text }`),
 * minus its per-call overhead: an element holds a handful of the three dozen names we ask for, so
 * mark the names it has, then copy in field order (a later field wins, as in copyFromXML).
 */
export function copyFields(xml: XmlRecord, dest: XmlRecord, table: FieldTable): void {
  let first = table.fields.length;
  let last = -1;
  for (const name in xml) {
    const positions = table.positions.get(name);
    if (positions === undefined) continue;
    for (const position of positions) {
      present[position] = 1;
      if (position < first) first = position;
      if (position > last) last = position;
    }
  }
  for (let position = first; position <= last; position++) {
    if (present[position] === 0) continue;
    present[position] = 0;
    const { from, to, keepArray } = table.fields[position] as CompiledField;
    const value = xml[from];
    if (value === undefined) continue;
    const copied = keepArray ? value : asArray(value)[0];
    dest[to] = isRecord(copied) && typeof copied._ === 'string' ? copied._ : copied;
  }
}
