import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  it('strips inline tags without inserting spaces', () => {
    expect(htmlToText('<b>news</b>room <a href="/x">link</a>')).toBe('newsroom link');
  });

  it('turns paragraphs into blank lines and br/div/li into line breaks', () => {
    expect(htmlToText('<p>One</p><p>Two<br>three<br/>four</p>')).toBe('One\n\nTwo\nthree\nfour');
    expect(htmlToText('<div>a</div><div>b</div>')).toBe('a\nb');
    expect(htmlToText('<h2>Title</h2>Body')).toBe('Title\n\nBody');
  });

  it('merges adjacent separators instead of adding them up', () => {
    expect(htmlToText('<ul><li>One</li><li>Two</li></ul>After')).toBe('One\nTwo\n\nAfter');
    expect(htmlToText('<p></p><p></p><p>x</p><div></div><br><br><p>y</p>')).toBe('x\n\ny');
    expect(htmlToText('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>')).toBe(
      'a b\nc',
    );
  });

  it('treats source whitespace, including newlines and &nbsp;, as one space', () => {
    expect(htmlToText('  Hello\n\t  world&nbsp;&nbsp;again  ')).toBe('Hello world again');
    expect(htmlToText('<p>\n  Hello\n</p>\n<p>\n  World\n</p>\n')).toBe('Hello\n\nWorld');
  });

  it('decodes named, numeric and hex entities', () => {
    expect(htmlToText('Putin&rsquo;s &#8216;talks&#x2019; &eacute;t&eacute; &lt;b&gt; &quot;q&quot;')).toBe(
      'Putin’s ‘talks’ été <b> "q"',
    );
  });

  it('decodes legacy entities without a semicolon and leaves bare ampersands alone', () => {
    expect(htmlToText('Tom &amp Jerry &copy 2024')).toBe('Tom & Jerry © 2024');
    expect(htmlToText('AT&T, R&D & more; &bogus;')).toBe('AT&T, R&D & more; &bogus;');
  });

  it('decodes entities only once', () => {
    expect(htmlToText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
  });

  it('drops script, style, noscript and template elements with their content', () => {
    expect(
      htmlToText(
        'a<script type="text/javascript">var x = "</p>" < 1;</script>b<style>p { color: red }</style>' +
          'c<noscript><img src=x>Enable JS</noscript>d<template><p>tpl</p></template>e',
      ),
    ).toBe('abcde');
    expect(htmlToText('x<SCRIPT>evil()</SCRIPT >y')).toBe('xy');
    expect(htmlToText('x<script>document.write("</scripts>")</script>y')).toBe('xy');
  });

  it('drops everything after an unclosed script, but nothing after a self-closed one', () => {
    expect(htmlToText('before<script>never closed <p>hidden</p>')).toBe('before');
    expect(htmlToText('<script src="a.js"/>After')).toBe('After');
  });

  it('drops comments, doctypes and processing instructions, keeps CDATA text verbatim', () => {
    expect(htmlToText('<!DOCTYPE html><?xml version="1.0"?>a<!-- <p>hidden</p> -->b')).toBe('ab');
    expect(htmlToText('a<!-- unclosed comment <p>x</p>')).toBe('a');
    expect(htmlToText('<![CDATA[x < y &amp; z]]>!')).toBe('x < y &amp; z!');
  });

  it('keeps a < that cannot start a tag', () => {
    expect(htmlToText('a < b, 1<2, <3 <> <=')).toBe('a < b, 1<2, <3 <> <=');
  });

  it('copes with malformed markup', () => {
    expect(htmlToText('<p>unclosed <i>italic <b>bold')).toBe('unclosed italic bold');
    expect(htmlToText('text then <a href="x"')).toBe('text then');
    expect(htmlToText('</div></p>stray closers</span>')).toBe('stray closers');
    expect(htmlToText('<a title="x > y">link</a>')).toBe('link');
    expect(htmlToText('<a title="unclosed>link</a> tail')).toBe('link tail');
    expect(htmlToText('<p<p>x')).toBe('x');
  });

  it('removes control characters and repairs lone surrogates', () => {
    expect(htmlToText('a\u0000b\u0007c\u001bd\u0085e\uFEFFf\u00ADg')).toBe('abcdefg');
    expect(htmlToText('x&#0;y')).toBe('x\uFFFDy');
    expect(htmlToText('x\uD800y')).toBe('x\uFFFDy');
    expect(htmlToText('emoji \uD83D\uDE00 ok')).toBe('emoji \uD83D\uDE00 ok');
  });

  it('returns an empty string for empty or tag-only input', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<p> </p><br><img src="x">')).toBe('');
  });

  it('passes the seed story capture through without throwing', () => {
    const seed = readFileSync(new URL('./testdata/seed-story.txt', import.meta.url), 'utf8');
    const text = htmlToText(seed);
    expect(text.startsWith('US and Ukraine hold crucial talks in Saudi Arabia on ending Putin’s invasion')).toBe(
      true,
    );
    expect(text).toContain('Forgot password?');
    expect(text).not.toMatch(/\n{3}| {2}/);
    expect(text).toBe(text.trim());
  });

  it('runs in linear time on adversarial input', () => {
    const inputs = ['<a'.repeat(200_000), '<a x="'.repeat(100_000), '<script>'.repeat(100_000), '&'.repeat(500_000)];
    const started = performance.now();
    for (const input of inputs) htmlToText(input);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
