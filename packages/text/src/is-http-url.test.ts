import { describe, expect, it } from 'vitest';
import { isHttpUrl } from './is-http-url.js';

describe('isHttpUrl', () => {
  it('accepts absolute http and https URLs', () => {
    expect(isHttpUrl('http://e.com')).toBe(true);
    expect(isHttpUrl('HTTPS://e.com/a?b#c')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:8080/feed.xml')).toBe(true);
  });

  it('rejects other schemes, relative and unparseable URLs', () => {
    for (const url of ['javascript:alert(1)', 'data:,x', 'ftp://e.com', 'mailto:a@e.com', '/feed', 'e.com', '', 'http://', 'http:// x']) {
      expect(isHttpUrl(url)).toBe(false);
    }
  });
});
