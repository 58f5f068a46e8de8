import { describe, expect, it } from 'vitest';
import { siteKey } from './site-key.js';

describe('siteKey', () => {
  it('is the lower-cased host without a leading www.', () => {
    expect(siteKey('https://www.BBC.co.uk/news')).toBe('bbc.co.uk');
    expect(siteKey('http://bbc.co.uk:8080/x')).toBe('bbc.co.uk');
    expect(siteKey('https://WWW.example.com.')).toBe('example.com');
  });

  it('keeps other subdomains', () => {
    expect(siteKey('https://news.bbc.co.uk/')).toBe('news.bbc.co.uk');
    expect(siteKey('https://www2.e.com/')).toBe('www2.e.com');
    expect(siteKey('https://edition.www.e.com/')).toBe('edition.www.e.com');
  });

  it('keeps www. when only a top-level domain would remain', () => {
    expect(siteKey('https://www.com/')).toBe('www.com');
  });

  it('is null for anything but an absolute http(s) URL', () => {
    expect(siteKey('ftp://www.e.com/')).toBeNull();
    expect(siteKey('/relative')).toBeNull();
    expect(siteKey('nonsense')).toBeNull();
  });
});
