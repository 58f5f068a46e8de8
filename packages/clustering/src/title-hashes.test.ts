import { describe, expect, it } from 'vitest';
import { hashTitleKey, hashTitleKeys, holdsTitle } from './title-hashes.js';

/** Two different keys with one hash, found by trying (a 32-bit hash collides within a few hundred thousand keys). */
function collision(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const key = `storm closes port ${i}`;
    const other = seen.get(hashTitleKey(key));
    if (other !== undefined) return [other, key];
    seen.set(hashTitleKey(key), key);
  }
}

describe('holdsTitle', () => {
  const keys = ['storm closes port of odesa', 'odesa port closed by storm', 'grain ship leaves odesa'];

  it('finds a key by its hash as includes finds it, and none that is missing', () => {
    const hashes = hashTitleKeys(keys);
    for (const key of [...keys, 'storm closes port', '', 'grain ship leaves odesa ']) {
      expect(holdsTitle(keys, hashes, key, hashTitleKey(key))).toBe(keys.includes(key));
    }
  });

  it('takes a matching hash for a match only when the keys are equal too', () => {
    const [a, b] = collision();
    expect(a).not.toBe(b);
    expect(hashTitleKey(a)).toBe(hashTitleKey(b));
    expect(holdsTitle([a], hashTitleKeys([a]), b, hashTitleKey(b))).toBe(false);
    expect(holdsTitle([a, b], hashTitleKeys([a, b]), b, hashTitleKey(b))).toBe(true);
  });

  it('reads the keys themselves when no hashes are given', () => {
    expect(holdsTitle(keys, undefined, keys[1] as string, 0)).toBe(true);
    expect(holdsTitle(keys, undefined, 'flood in the valley', 0)).toBe(false);
  });
});
