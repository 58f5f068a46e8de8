import { describe, expect, it } from 'vitest';
import { HTML_ENTITIES } from './html-entities.js';
import { fixXmlEntities } from './xml-entities.js';

describe('fixXmlEntities', () => {
  it('rewrites HTML named entities to numeric references', () => {
    expect(fixXmlEntities('<t>a&nbsp;b&eacute;&mdash;&Eacute;&hellip;&euro;</t>')).toBe(
      '<t>a&#160;b&#233;&#8212;&#201;&#8230;&#8364;</t>',
    );
  });

  it('leaves the five XML entities and valid numeric references alone', () => {
    const xml = '<t a="&quot;x&quot;">&amp; &lt; &gt; &apos; &#233; &#xE9;</t>';
    expect(fixXmlEntities(xml)).toBe('<t a="&quot;x&quot;">&amp; &lt; &gt; &apos; &#233; &#233;</t>');
  });

  it('escapes bare ampersands, unknown names and names without a semicolon', () => {
    expect(fixXmlEntities('<t>AT&T & co &bogus; &copy 2025 &#; &</t>')).toBe(
      '<t>AT&amp;T &amp; co &amp;bogus; &amp;copy 2025 &amp;#; &amp;</t>',
    );
  });

  it('repairs numeric references: missing semicolon, invalid code points', () => {
    expect(fixXmlEntities('<t>&#39 &#0; &#x110000; &#xD800;</t>')).toBe('<t>&#39; &#65533; &#65533; &#65533;</t>');
  });

  it('rewrites attribute values too (links with query strings)', () => {
    expect(fixXmlEntities('<link href="/a?x=1&y=2&amp;z=3"/>')).toBe('<link href="/a?x=1&amp;y=2&amp;z=3"/>');
  });

  it('never touches CDATA sections, even unterminated ones', () => {
    const xml = '<d><![CDATA[&nbsp; & <b>]]></d><t>&nbsp;</t><e><![CDATA[& still raw';
    expect(fixXmlEntities(xml)).toBe('<d><![CDATA[&nbsp; & <b>]]></d><t>&#160;</t><e><![CDATA[& still raw');
  });

  it('is idempotent and returns clean XML unchanged', () => {
    const once = fixXmlEntities('<t>&nbsp;&bogus;&x & &#39</t>');
    expect(fixXmlEntities(once)).toBe(once);
    const clean = '<rss><channel><title>No ampersands</title></channel></rss>';
    expect(fixXmlEntities(clean)).toBe(clean);
  });
});

describe('HTML_ENTITIES', () => {
  it('covers HTML 4 (Latin-1, Greek, symbols, typography)', () => {
    expect(HTML_ENTITIES.size).toBeGreaterThanOrEqual(252);
    expect(HTML_ENTITIES.get('nbsp')).toBe(0xa0);
    expect(HTML_ENTITIES.get('yuml')).toBe(0xff);
    expect(HTML_ENTITIES.get('Sigma')).toBe(0x3a3); // after the U+03A2 gap
    expect(HTML_ENTITIES.get('omega')).toBe(0x3c9);
    expect(HTML_ENTITIES.get('rsquo')).toBe(0x2019);
    expect(HTML_ENTITIES.get('diams')).toBe(0x2666);
  });

  it('is case-sensitive, like HTML', () => {
    expect(HTML_ENTITIES.get('Eacute')).toBe(0xc9);
    expect(HTML_ENTITIES.get('eacute')).toBe(0xe9);
    expect(HTML_ENTITIES.get('NBSP')).toBeUndefined();
  });
});
