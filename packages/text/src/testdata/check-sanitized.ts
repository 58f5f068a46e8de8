/**
 * Test helper: the properties every `sanitizeHtml` output must have, as a list of violations
 * (empty when the output is fine). Checked independently of the sanitiser's own code.
 */
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  p: [], br: [], a: ['href', 'title', 'rel'], strong: [], b: [], em: [], i: [], u: [], s: [],
  blockquote: [], q: [], cite: [], ul: [], ol: [], li: [], h2: [], h3: [], h4: [], h5: [], h6: [],
  pre: [], code: [], figure: [], figcaption: [], img: ['src', 'alt', 'title', 'width', 'height'],
  table: [], thead: [], tbody: [], tr: [], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'],
  hr: [], sub: [], sup: [], small: [], abbr: ['title'], time: ['datetime'],
};
const VOID = new Set(['br', 'hr', 'img']);
const TAG = /<(\/?)([a-z0-9]+)((?: [a-z]+="[^"<>]*")*)>/y;
const ATTRIBUTE = / ([a-z]+)="([^"<>]*)"/g;
const ENTITY = /&(?:amp|lt|gt|quot);/y;

export function sanitizedViolations(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '>') problems.push(`raw > at ${i}`);
    if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(html)) problems.push(`bare & at ${i}`);
    }
    if (c !== '<') {
      i++;
      continue;
    }
    TAG.lastIndex = i;
    const match = TAG.exec(html);
    if (match === null) {
      problems.push(`stray < at ${i}: ${html.slice(i, i + 30)}`);
      i++;
      continue;
    }
    i = TAG.lastIndex;
    const [, slash, name = '', attributes = ''] = match;
    const allowed = ALLOWED_ATTRIBUTES[name];
    if (allowed === undefined) problems.push(`element ${name}`);
    if (slash === '/') {
      if (attributes !== '') problems.push(`attributes on </${name}>`);
      if (stack.pop() !== name) problems.push(`misnested </${name}>`);
      continue;
    }
    for (const [, attr = '', value = ''] of attributes.matchAll(ATTRIBUTE)) {
      if (!allowed?.includes(attr)) problems.push(`attribute ${name}[${attr}]`);
      if ((attr === 'href' || attr === 'src') && !/^https?:\/\/[^\s]/.test(value)) {
        problems.push(`url ${attr}="${value}"`);
      }
      if (/&(?!amp;|lt;|gt;|quot;)/.test(value)) problems.push(`bare & in ${attr}`);
    }
    if (name === 'a' && !attributes.includes(' rel="nofollow noopener noreferrer"')) problems.push('a without rel');
    if (!VOID.has(name)) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(',')}`);
  return problems;
}
