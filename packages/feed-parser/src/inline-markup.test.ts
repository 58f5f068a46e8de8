import { describe, expect, it } from 'vitest';
import { unwrapXhtmlDiv, wrapInlineMarkup } from './inline-markup.js';

describe('wrapInlineMarkup', () => {
  it('moves naked HTML inside a text element into CDATA', () => {
    expect(wrapInlineMarkup('<item><description>Hello <b>world</b> again</description></item>')).toBe(
      '<item><description><![CDATA[Hello <b>world</b> again]]></description></item>',
    );
  });

  it('relabels Atom inline XHTML as HTML', () => {
    const xml = '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <i>b</i></div></content>';
    expect(wrapInlineMarkup(xml)).toBe(
      '<content type="html"><![CDATA[A <i>b</i>]]></content>',
    );
    expect(wrapInlineMarkup('<summary mode="xml" type="application/xhtml+xml"><p>x</p></summary>')).toBe(
      '<summary mode="escaped" type="html"><![CDATA[<p>x</p>]]></summary>',
    );
  });

  it('leaves plain, escaped, self-closing and CDATA elements unchanged', () => {
    const xml =
      '<title>Plain &amp; simple</title><description>&lt;p&gt;escaped&lt;/p&gt;</description>' +
      '<content src="x" type="text/html"/><content:encoded><![CDATA[<p>ok</p>]]></content:encoded>';
    expect(wrapInlineMarkup(xml)).toBe(xml);
  });

  it('does not look inside other CDATA sections', () => {
    const xml = '<description><![CDATA[<details><summary>Click <b>me</b></summary></details>]]></description>';
    expect(wrapInlineMarkup(xml)).toBe(xml);
  });

  it('finds the matching close tag past nested elements of the same name', () => {
    const xml = '<summary type="xhtml"><div><details><summary>More</summary><p>x</p></details></div></summary><id>1</id>';
    expect(wrapInlineMarkup(xml)).toBe(
      '<summary type="html"><![CDATA[<details><summary>More</summary><p>x</p></details>]]></summary><id>1</id>',
    );
    expect(wrapInlineMarkup('<title>a <title/> b</title>')).toBe('<title><![CDATA[a <title/> b]]></title>');
  });

  it('splits a "]]>" inside the wrapped markup', () => {
    expect(wrapInlineMarkup('<title>a <b>]]></b></title>')).toBe('<title><![CDATA[a <b>]]]]><![CDATA[></b>]]></title>');
  });

  it('returns the very same string when nothing needs wrapping', () => {
    const xml = '<item><title>Plain</title><description><![CDATA[<p>x</p>]]></description></item>';
    expect(wrapInlineMarkup(xml)).toBe(xml);
  });

  it('stays linear on thousands of unclosed elements', () => {
    const xml = `<rss>${'<title>never closed <b>x</b>'.repeat(50_000)}</rss>`;
    const started = performance.now();
    wrapInlineMarkup(xml);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('unwrapXhtmlDiv (RFC 4287 §4.1.3.3: the wrapper div is not content)', () => {
  it.each([
    ['<div xmlns="http://www.w3.org/1999/xhtml"><p>A</p></div>', '<p>A</p>'],
    ['<xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml">A <xhtml:b>b</xhtml:b></xhtml:div>', 'A <xhtml:b>b</xhtml:b>'],
    ['<div><div class="inner">x</div> tail</div>', '<div class="inner">x</div> tail'],
    ['<div>one</div><div>two</div>', '<div>one</div><div>two</div>'],
    ['<div/>', '<div/>'],
    ['<p>no wrapper</p>', '<p>no wrapper</p>'],
    ['<divider>x</divider>', '<divider>x</divider>'],
    ['<div>unclosed', '<div>unclosed'],
  ])('%s → %s', (body, expected) => {
    expect(unwrapXhtmlDiv(body)).toBe(expected);
  });
});
