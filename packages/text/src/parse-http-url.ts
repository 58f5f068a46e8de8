/**
 * Parses an absolute http(s) URL (or one relative to `base`) with the WHATWG URL parser, the one
 * browsers use. null when it does not parse or uses any other scheme (`javascript:`, `data:`,
 * `mailto:`, `ftp:`, …).
 */
export function parseHttpUrl(url: string, base?: string): URL | null {
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(url) : new URL(url, base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.hostname === '') return null;
  return parsed;
}
