import { readFileSync } from 'node:fs';

/** The package version, read once: shown by `newsfold --version` and sent in the User-Agent. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function userAgent(publicUrl: string): string {
  return `newsfold/${VERSION} (+${publicUrl})`;
}
