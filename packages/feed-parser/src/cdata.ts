/** Splitting XML text around CDATA sections, for rewrites that must not touch their contents. */

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/**
 * Applies `rewrite` to every stretch of `xml` outside CDATA sections and returns the result; the
 * sections themselves are copied verbatim. An unterminated section runs to the end of the text.
 * `rewrite` must map '' to ''. When it changes nothing, `xml` itself is returned (no copy).
 */
export function mapOutsideCdata(xml: string, rewrite: (segment: string) => string): string {
  let out = '';
  let changed = false;
  /** Where the text not yet copied to `out` starts. */
  let copied = 0;
  let pos = 0;
  while (pos < xml.length) {
    const open = xml.indexOf(CDATA_OPEN, pos);
    const end = open < 0 ? xml.length : open;
    const segment = xml.slice(pos, end);
    const rewritten = rewrite(segment);
    if (rewritten !== segment) {
      out += xml.slice(copied, pos) + rewritten;
      copied = end;
      changed = true;
    }
    if (open < 0) break;
    const close = xml.indexOf(CDATA_CLOSE, open + CDATA_OPEN.length);
    pos = close < 0 ? xml.length : close + CDATA_CLOSE.length;
  }
  return changed ? out + xml.slice(copied) : xml;
}

/** Wraps text in a CDATA section, splitting any `]]>` inside it. */
export function asCdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
