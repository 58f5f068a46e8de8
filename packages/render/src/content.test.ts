import { describe, expect, it } from 'vitest';
import { coverageHtml, humanUtc } from './content.js';
import type { PreparedSource } from './prepare.js';

const at = (iso: string): Date => new Date(iso);

describe('coverageHtml', () => {
  const sources: PreparedSource[] = [
    { outlet: 'First & Co', title: 'One <b>', url: 'https://one.example/?a=1&b=2', publishedAt: at('2025-03-11T08:05:00Z') },
    { outlet: 'Second', title: 'Two', url: 'https://two.example/', publishedAt: null },
  ];

  it('puts the summary first, then the coverage count and the list in order', () => {
    const html = coverageHtml('Short "summary"', sources, 2);
    expect(html.indexOf('<p>Short &quot;summary&quot;</p>')).toBe(0);
    expect(html).toContain('<p>Covered by 2 outlets:</p>');
    expect(html.indexOf('one.example')).toBeLessThan(html.indexOf('two.example'));
  });

  it('escapes names and headlines and links only the vetted URL', () => {
    const html = coverageHtml('', sources, 2);
    expect(html).toContain(
      '<li><strong>First &amp; Co</strong>: <a href="https://one.example/?a=1&amp;b=2">One &lt;b&gt;</a> · ' +
        '<time datetime="2025-03-11T08:05:00.000Z">2025-03-11 08:05 UTC</time> · <em>reported first</em></li>',
    );
    expect(html).toContain('<li><strong>Second</strong>: <a href="https://two.example/">Two</a></li>');
  });

  it('marks the first reporter only when there is more than one source', () => {
    expect(coverageHtml('', sources, 2).match(/reported first/g)).toHaveLength(1);
    const single = sources.slice(0, 1);
    expect(coverageHtml('', single, 1)).not.toContain('reported first');
    expect(coverageHtml('', single, 1)).toContain('Covered by 1 outlet:');
  });

  it('is empty without summary and sources', () => {
    expect(coverageHtml('', [], 0)).toBe('');
  });

  it('formats times as readable UTC', () => {
    expect(humanUtc(at('2025-01-02T03:04:59Z'))).toBe('2025-01-02 03:04 UTC');
  });
});
