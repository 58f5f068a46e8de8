import { describe, expect, it } from 'vitest';
import { isCanonicalHttpUrl, resolveBase, resolveHttpUrl } from './urls.js';

describe('resolveHttpUrl', () => {
  it('resolves relative references against the base', () => {
    expect(resolveHttpUrl('/a/b?c=1', 'https://example.com/feed.xml')).toBe('https://example.com/a/b?c=1');
    expect(resolveHttpUrl('two.html', 'https://example.com/posts/')).toBe('https://example.com/posts/two.html');
    expect(resolveHttpUrl('https://other.example/x', 'https://example.com/')).toBe('https://other.example/x');
  });

  it('drops wrapping whitespace and line breaks inside a link', () => {
    expect(resolveHttpUrl('\n   https://example.com/very/\nlong/link  ', null)).toBe('https://example.com/very/long/link');
  });

  it('keeps only http and https', () => {
    expect(resolveHttpUrl('javascript:alert(1)', 'https://example.com/')).toBeNull();
    expect(resolveHttpUrl('data:text/html,hi', null)).toBeNull();
    expect(resolveHttpUrl('mailto:a@example.com', null)).toBeNull();
    expect(resolveHttpUrl('ftp://example.com/file', null)).toBeNull();
  });

  it('returns null for relative links without a base, and for non-strings', () => {
    expect(resolveHttpUrl('/relative', null)).toBeNull();
    expect(resolveHttpUrl('', 'https://example.com/')).toBeNull();
    expect(resolveHttpUrl(undefined, 'https://example.com/')).toBeNull();
    expect(resolveHttpUrl({ href: 'https://example.com/' }, null)).toBeNull();
  });

  it('takes a protocol-relative link as https when there is no base', () => {
    expect(resolveHttpUrl('//cdn.example.com/i.png', null)).toBe('https://cdn.example.com/i.png');
    expect(resolveHttpUrl('//cdn.example.com/i.png', 'http://example.com/')).toBe('http://cdn.example.com/i.png');
  });
});

describe('isCanonicalHttpUrl', () => {
  const hrefOf = (href: string) => {
    try {
      return new URL(href).href;
    } catch {
      return null;
    }
  };

  it('accepts only links that the URL parser returns unchanged', () => {
    const links = [
      'https://example.com/',
      'http://news.example.co.uk/world/2025/06/story-1?utm_source=rss&utm_medium=feed#top',
      "https://example.com/a(b)*c,d;e=f:g@h/~i!j$k+l%20m?n=o/p?q#r#s",
      'https://Example.com/',
      'HTTPS://example.com/',
      'https://example.com',
      'https://example.com:443/',
      'https://user@example.com/',
      'https://example.com/a/./b',
      'https://example.com/a/../b',
      'https://example.com/a/%2E%2e/b',
      'https://example.com/%2e',
      'https://xn--bcher-kva.example/',
      'http://127.0.0.1/',
      'http://0x7f.1/',
      'http://example.123/',
      'https://example.com./',
      'https://exa_mple.com/',
      "https://example.com/?q='x'",
      'https://example.com/a b',
      'https://example.com/a"b<c>d`e{f}g',
      'https://example.com/a\\b',
      'https://example.com/é',
      'https://[::1]/',
    ];
    for (const link of links) {
      if (isCanonicalHttpUrl(link)) expect(hrefOf(link), link).toBe(link);
    }
    expect(links.filter(isCanonicalHttpUrl)).toEqual(links.slice(0, 3));
  });
});

describe('resolveBase', () => {
  it('chains xml:base values and keeps the inherited base when a value is absent or unusable', () => {
    const feed = resolveBase('https://blog.example.org/', null);
    const entry = resolveBase('posts/', feed);
    expect(entry).toBe('https://blog.example.org/posts/');
    expect(resolveBase(undefined, entry)).toBe(entry);
    expect(resolveBase('  ', entry)).toBe(entry);
    expect(resolveBase('relative/', null)).toBeNull();
  });
});
