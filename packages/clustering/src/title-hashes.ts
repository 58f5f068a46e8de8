/**
 * Headline keys by hash: every article is checked for its headline against each candidate's
 * newest headlines, and comparing strings scattered over the heap cost more than the rest of
 * scoring a candidate (`pnpm bench settle`). Hashes side by side in one array are read at once,
 * and a key is compared only where its hash matches.
 */

/** FNV-1a, 32-bit, of a headline key. */
export function hashTitleKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export function hashTitleKeys(keys: readonly string[]): Int32Array {
  return Int32Array.from(keys, hashTitleKey);
}

/** Whether `keys` holds `key` (`hash`: its hashTitleKey), read through `hashes` (hashTitleKeys(keys)) when given. */
export function holdsTitle(keys: readonly string[], hashes: Int32Array | undefined, key: string, hash: number): boolean {
  if (!hashes) return keys.includes(key);
  for (let i = 0; i < hashes.length; i++) if (hashes[i] === hash && keys[i] === key) return true;
  return false;
}
