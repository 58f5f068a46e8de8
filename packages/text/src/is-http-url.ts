import { parseHttpUrl } from './parse-http-url.js';

/** Whether `url` is an absolute, parseable http: or https: URL. */
export function isHttpUrl(url: string): boolean {
  return parseHttpUrl(url) !== null;
}
