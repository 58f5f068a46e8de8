export type { OpmlOutline } from './outline.js';
export { parseOpml } from './parse-opml.js';
export { writeOpml, type WriteOpmlOptions } from './write-opml.js';
export { OpmlError } from './opml-error.js';
export { normalizeTag, splitCategory } from './tags.js';
