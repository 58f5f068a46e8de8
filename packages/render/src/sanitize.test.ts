import { describe, expect, it } from 'vitest';
import { cleanText, escapeHtml, hasXmlIllegal, safeHttpUrl, stripXmlIllegal } from './sanitize.js';

describe('stripXmlIllegal', () => {
  it('removes C0 controls except tab, LF and CR, U+FFFE/U+FFFF and lone surrogates', () => {
    expect(stripXmlIllegal('a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh')).toBe('abcdefgh');
    expect(stripXmlIllegal('tab\there\nCR\r')).toBe('tab\there\nCR\r');
    expect(stripXmlIllegal('x\uD800y\uDC00z')).toBe('xyz');
    expect(stripXmlIllegal('a\uDC00\uD800b')).toBe('ab');
  });

  it('keeps valid surrogate pairs (emoji) and ordinary text', () => {
    expect(stripXmlIllegal('news 📰 — café')).toBe('news 📰 — café');
    expect(hasXmlIllegal('news 📰')).toBe(false);
    expect(hasXmlIllegal('\uD83D')).toBe(true);
  });
});

describe('cleanText', () => {
  it('treats null as empty and trims', () => {
    expect(cleanText(null)).toBe('');
    expect(cleanText('  x\u0007 ')).toBe('x');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
});

describe('safeHttpUrl', () => {
  it('accepts absolute http(s) URLs, normalised', () => {
    expect(safeHttpUrl('HTTPS://Example.ORG/a b?q="<x>"')).toBe('https://example.org/a%20b?q=%22%3Cx%3E%22');
    expect(safeHttpUrl(' http://example.org ')).toBe('http://example.org/');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' java\tscript:alert(1)',
    '\u0000javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'ftp://example.org/file',
    '//example.org/protocol-relative',
    '/relative',
    'not a url',
    '',
  ])('refuses %j', (raw) => {
    expect(safeHttpUrl(raw)).toBeNull();
  });
});
