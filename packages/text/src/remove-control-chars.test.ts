import { describe, expect, it } from 'vitest';
import { hasControlChars, removeControlChars } from './remove-control-chars.js';

describe('removeControlChars', () => {
  it('removes C0/C1 controls, DEL, BOM, zero-width space, soft hyphen and noncharacters', () => {
    expect(removeControlChars('a\u0000\u0001\u0008\u000B\u000C\u000E\u001F\u007F\u0080\u009F\uFEFF\u200B\u00AD\uFFFE\uFFFFb')).toBe('ab');
  });

  it('keeps tab, line feed, carriage return and ordinary text', () => {
    expect(removeControlChars('a\tb\nc\rd é 東 😀 \u200D')).toBe('a\tb\nc\rd é 東 😀 \u200D');
  });

  it('removes bidirectional embeddings and overrides, which can make a headline read backwards', () => {
    expect(removeControlChars('Invoice \u202Egpj.exe\u202C received')).toBe('Invoice gpj.exe received');
    expect(removeControlChars('\u202A\u202B\u202D')).toBe('');
    // Right-to-left text and the isolates stay.
    expect(removeControlChars('שלום \u2067עולם\u2069')).toBe('שלום \u2067עולם\u2069');
  });

  it('replaces lone surrogates with U+FFFD', () => {
    expect(removeControlChars('\uD800x\uDC00')).toBe('\uFFFDx\uFFFD');
    expect(removeControlChars('a\uD83D')).toBe('a\uFFFD');
  });
});

describe('hasControlChars', () => {
  it('finds C0 controls and DEL, not tab, line breaks or other text', () => {
    for (const c of ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u000E', '\u001F', '\u007F']) expect(hasControlChars(`a${c}b`)).toBe(true);
    expect(hasControlChars('a\tb\nc\rd é 東 😀')).toBe(false);
  });
});
