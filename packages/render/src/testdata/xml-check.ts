/**
 * A small, strict XML 1.0 well-formedness check for tests: rss-parser (sax) accepts control
 * characters and "<" in attribute values, so it is not enough on its own.
 */
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAME = '[A-Za-z_][\\w.:-]*';
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g;
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`);
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');

function checkCharacterData(text: string, where: string): void {
  const rest = text.replace(REFERENCE, '');
  if (rest.includes('&')) throw new Error(`bare "&" in ${where}: ${text.slice(0, 80)}`);
  if (rest.includes('<')) throw new Error(`raw "<" in ${where}: ${text.slice(0, 80)}`);
  if (where === 'text' && rest.includes(']]>')) throw new Error(`"]]>" in text: ${text.slice(0, 80)}`);
}

export function assertWellFormedXml(xml: string): void {
  const bad = ILLEGAL_CHAR.exec(xml);
  if (bad) throw new Error(`XML-illegal character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element: ${text.slice(0, 40)}`);
    checkCharacterData(text, 'text');
    if (lt === -1) break;
    const rest = xml.slice(lt);
    const end = (marker: string): number => {
      const at = xml.indexOf(marker, lt);
      if (at === -1) throw new Error(`unterminated ${rest.slice(0, 12)}`);
      return at + marker.length;
    };
    if (rest.startsWith('<![CDATA[')) {
      if (stack.length === 0) throw new Error('CDATA outside the root element');
      i = end(']]>');
    } else if (rest.startsWith('<!--')) {
      i = end('-->');
    } else if (rest.startsWith('<?')) {
      i = end('?>');
    } else {
      const tag = TAG.exec(rest);
      if (!tag) throw new Error(`malformed tag: ${rest.slice(0, 60)}`);
      const [whole, closing, name = '', attributes = '', selfClosing] = tag;
      const seen = new Set<string>();
      for (const attr of attributes.matchAll(ATTRIBUTE)) {
        if (seen.has(attr[1] ?? '')) throw new Error(`duplicate attribute ${attr[1]} on <${name}>`);
        seen.add(attr[1] ?? '');
        checkCharacterData(attr[2] ?? attr[3] ?? '', `attribute ${attr[1]} of <${name}>`);
      }
      if (closing) {
        if (stack.pop() !== name) throw new Error(`unexpected </${name}>`);
      } else {
        if (stack.length === 0) roots += 1;
        if (!selfClosing) stack.push(name);
      }
      i = lt + whole.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
}
