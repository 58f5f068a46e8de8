import { fnv1a } from './fnv1a.js';

/**
 * Headline keys by hash: every article is checked for its headline against each candidate's
 * newest headlines, and comparing strings scattered over the heap cost more than the rest of
 * scoring a candidate (`pnpm bench settle`). Hashes side by side in one array are read at once,
 * and a key is compared only where its hash matches.
 */

/** A headline key's hash (FNV-1a), signed to fit an Int32Array. */
export function hashTitleKey(key: string): number {
  return fnv1a(key) | 0;
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
