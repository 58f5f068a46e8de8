import { describe, expect, it } from 'vitest';
import { HTML_ENTITIES } from './html-entities.js';
import { fixXmlEntities, removeInvalidXmlChars } from './xml-entities.js';

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

describe('fixXmlEntities fast path', () => {
  it('returns the very same string when every reference is already clean', () => {
    const xml = '<t a="x&amp;y">&amp; &lt; &#233; &#8217;</t><![CDATA[&nbsp; &]]>';
    expect(fixXmlEntities(xml)).toBe(xml);
  });

  it('agrees with a full rewrite on ampersand soup', () => {
    const pieces = ['&', '&amp;', '&amp', '&#0;', '&#039;', '&#39;', '&#x27;', '&#1114112;', '&#65533;', '&#12345678901;', '&nbsp;', '&bogus;', 'a', ' ', ';', '<![CDATA[&x]]>'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: 12 }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const once = fixXmlEntities(text);
      // Clean output is a fixed point, and every & in it outside CDATA starts a reference.
      expect(fixXmlEntities(once)).toBe(once);
      expect(once.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/);
    }
  });
});

describe('removeInvalidXmlChars', () => {
  it('drops C0 controls other than tab, LF, CR, and U+FFFE/U+FFFF; keeps clean text as is', () => {
    expect(removeInvalidXmlChars('a\u0000b\u0008c\u000bd\u001fe\ufffff\tg\nh\ri')).toBe('abcdef\tg\nh\ri');
    const clean = '<t>Ünïcödé 日本 \u{1F600}</t>';
    expect(removeInvalidXmlChars(clean)).toBe(clean);
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
