import { describe, expect, it } from 'vitest';
import { table } from './table.js';

describe('table', () => {
  it('pads columns to their widest cell and leaves the last one unpadded', () => {
    expect(table(['ID', 'TITLE'], [['1', 'One'], ['10', 'Ten']])).toBe('ID  TITLE\n1   One\n10  Ten');
  });

  it('prints control characters from stored text as spaces: no terminal escapes, no broken rows', () => {
    const out = table(['ID', 'TITLE'], [['1', 'Ansi \u001b[31mRED\u001b]0;pwned\u0007 Feed\nSecond line\u009b\u202egpj.exe']]);
    expect(out).toBe('ID  TITLE\n1   Ansi  [31mRED ]0;pwned  Feed Second line  gpj.exe');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});
