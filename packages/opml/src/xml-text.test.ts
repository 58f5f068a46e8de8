import { describe, expect, it } from 'vitest';
import { decodeXmlEntities, escapeAttribute, escapeText } from './xml-text.js';

describe('xml text helpers', () => {
  it('escapes attribute values, including whitespace that attribute normalisation would eat', () => {
    expect(escapeAttribute(`a&b<c>d"e'f\tg\nh\ri`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;h&#13;i');
  });

  it('escapes element text', () => {
    expect(escapeText(`a&b<c>d"e'`)).toBe(`a&amp;b&lt;c&gt;d"e'`);
  });

  it('decodes the predefined entities and character references in one pass', () => {
    expect(decodeXmlEntities('&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#X43; &#x1F600; &amp;amp;')).toBe(`<>&"' AB&#X43; 😀 &amp;`);
  });

  it('leaves unknown entities, bare ampersands and forbidden code points as written', () => {
    expect(decodeXmlEntities('&nbsp; & &#0; &#xD800; &#x110000; &lol;')).toBe('&nbsp; & &#0; &#xD800; &#x110000; &lol;');
  });

  it('is the inverse of escapeAttribute', () => {
    const value = `Tom & "Jerry" <'s>\n\ttab &amp;`;
    expect(decodeXmlEntities(escapeAttribute(value))).toBe(value);
  });
});
