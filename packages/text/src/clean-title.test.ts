import { describe, expect, it } from 'vitest';
import { cleanTitle } from './clean-title.js';

describe('cleanTitle', () => {
  it('returns a single trimmed line of plain text', () => {
    expect(cleanTitle('  <p>Breaking:</p>\n<p>US and <b>Ukraine</b>\n talks</p>  ')).toBe('Breaking: US and Ukraine talks');
  });

  it('decodes entities', () => {
    expect(cleanTitle('Putin&#8217;s &#8216;invasion&#8217; &amp; talks')).toBe('Putin’s ‘invasion’ & talks');
  });

  it('decodes double-encoded entities once more', () => {
    expect(cleanTitle('&amp;#8216;Crucial&amp;#8217; talks')).toBe('‘Crucial’ talks');
    expect(cleanTitle('Tom &amp;amp; Jerry')).toBe('Tom & Jerry');
    expect(cleanTitle('caf&amp;eacute;')).toBe('café');
  });

  it('stops after the second decoding', () => {
    expect(cleanTitle('&amp;amp;amp;')).toBe('&amp;');
  });

  it('leaves ampersands that are not entities alone', () => {
    expect(cleanTitle('AT&amp;T and R&D')).toBe('AT&T and R&D');
    expect(cleanTitle('Q&A: what is &quot;&amp;nope&quot;')).toBe('Q&A: what is "&nope"');
  });

  it('keeps text that only looks like markup after decoding', () => {
    expect(cleanTitle('Why 1 &lt; 2 matters')).toBe('Why 1 < 2 matters');
  });

  it('does not let a second decoding introduce control characters or line breaks', () => {
    expect(cleanTitle('a&amp;#10;b&amp;#7;c')).toBe('a bc');
  });
});
