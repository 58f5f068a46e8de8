/** Splitting XML text around CDATA sections, for rewrites that must not touch their contents. */

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/**
 * Applies `rewrite` to every stretch of `xml` outside CDATA sections and returns the result; the
 * sections themselves are copied verbatim. An unterminated section runs to the end of the text.
 */
export function mapOutsideCdata(xml: string, rewrite: (segment: string) => string): string {
  let out = '';
  let pos = 0;
  while (pos < xml.length) {
    const open = xml.indexOf(CDATA_OPEN, pos);
    if (open < 0) break;
    const close = xml.indexOf(CDATA_CLOSE, open + CDATA_OPEN.length);
    const end = close < 0 ? xml.length : close + CDATA_CLOSE.length;
    out += rewrite(xml.slice(pos, open)) + xml.slice(open, end);
    pos = end;
  }
  return out + rewrite(xml.slice(pos));
}

/** Wraps text in a CDATA section, splitting any `]]>` inside it. */
export function asCdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
