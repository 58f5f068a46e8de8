import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OpmlError } from './opml-error.js';
import type { OpmlOutline } from './outline.js';
import { addTags, normalizeTag, splitCategory } from './tags.js';
import { decodeXmlEntities, forbiddenCharAt } from './xml-text.js';

const ATTRIBUTE_PREFIX = '@_';

/*
 * Entity processing is off: fast-xml-parser neither expands DOCTYPE entities nor decodes
 * references; `decodeXmlEntities` decodes the predefined and numeric ones afterwards, which
 * cannot expand. Documents declaring entities are refused before parsing (see parseOpml).
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => name === 'outline',
});

type XmlNode = Record<string, unknown>;

/**
 * Reads the feed subscriptions of an OPML document (1.0 or 2.0, as exported by Miniflux,
 * FreshRSS, Feedly, Inoreader, NetNewsWire, …).
 *
 * Every `<outline>` with an `xmlUrl`, at any depth, is a feed. Its tags are the `category`
 * attribute (comma-separated, see `splitCategory`) followed by the names of the folders enclosing
 * it, outermost first (an enclosing outline without `xmlUrl` is a folder). The title is `title`,
 * else `text`; a title equal to the feed URL says nothing and becomes null. Attribute names are
 * matched case-insensitively (`xmlurl`, `XMLURL` occur in the wild). The same `xmlUrl` listed
 * several times yields one outline with the tags merged and the first title and htmlUrl found.
 *
 * Safe on hostile input: documents declaring entities (`<!ENTITY`, as in "billion laughs") are
 * refused without parsing, and no entity is ever expanded. Throws `OpmlError` (`invalid_opml`,
 * permanent) for malformed XML (a character XML forbids, such as U+0000, included), a root other
 * than `<opml>`, or entity declarations.
 */
export function parseOpml(xml: string): OpmlOutline[] {
  const text = xml.replace(/^\uFEFF/, '').trimStart();
  if (/<!ENTITY/i.test(text)) {
    throw new OpmlError('OPML documents must not declare entities (<!ENTITY>)');
  }
  // The validator lets them through, and U+0000 would reach Postgres, which refuses it in text.
  const forbidden = forbiddenCharAt(text);
  if (forbidden !== -1) {
    const before = text.slice(0, forbidden).split('\n');
    const code = (text.codePointAt(forbidden) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new OpmlError(`Malformed OPML: U+${code}, which XML does not allow (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`);
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new OpmlError(`Malformed OPML: ${msg} (line ${line}, column ${col})`);
  }

  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (cause) {
    throw new OpmlError(`Malformed OPML: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const root = isNode(document) ? document['opml'] : undefined;
  if (root === undefined) throw new OpmlError('Not an OPML document: the root element is not <opml>');

  const byUrl = new Map<string, OpmlOutline>();
  for (const opml of asNodes(root)) {
    for (const body of asNodes(opml['body'])) collect(asNodes(body['outline']), [], byUrl);
  }
  return [...byUrl.values()];
}

function collect(outlines: XmlNode[], folders: readonly string[], byUrl: Map<string, OpmlOutline>): void {
  for (const outline of outlines) {
    const attributes = attributesOf(outline);
    const children = asNodes(outline['outline']);
    const xmlUrl = attributes.get('xmlurl') ?? '';

    if (xmlUrl === '') {
      if (children.length > 0) {
        const folder = normalizeTag(attributes.get('text') || attributes.get('title') || '');
        collect(children, folder === '' ? folders : [...folders, folder], byUrl);
      }
      continue;
    }

    const tags: string[] = [];
    addTags(tags, splitCategory(attributes.get('category') ?? ''));
    addTags(tags, folders);
    const title = attributes.get('title') || attributes.get('text') || null;
    add(byUrl, {
      xmlUrl,
      title: title === xmlUrl ? null : title,
      htmlUrl: attributes.get('htmlurl') || null,
      tags,
    });
    // A feed outline with children is unusual, but its children are still subscriptions.
    collect(children, folders, byUrl);
  }
}

function add(byUrl: Map<string, OpmlOutline>, outline: OpmlOutline): void {
  const existing = byUrl.get(outline.xmlUrl);
  if (existing === undefined) {
    byUrl.set(outline.xmlUrl, outline);
    return;
  }
  existing.title ??= outline.title;
  existing.htmlUrl ??= outline.htmlUrl;
  addTags(existing.tags, outline.tags);
}

/** An outline's attributes by lower-cased name (first occurrence wins), decoded and trimmed. */
function attributesOf(node: XmlNode): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith(ATTRIBUTE_PREFIX) || typeof value !== 'string') continue;
    const name = key.slice(ATTRIBUTE_PREFIX.length).toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeXmlEntities(value).trim());
  }
  return attributes;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The element nodes in a parsed value that may be absent, one node, an array, or text. */
function asNodes(value: unknown): XmlNode[] {
  return (Array.isArray(value) ? value : [value]).filter(isNode);
}
