import { describe, expect, it } from 'vitest';
import { canonicalUrl } from './canonical-url.js';

const TRACKERS = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id', 'fbclid', 'gclid',
  'dclid', 'gbraid', 'wbraid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_hsenc', '_hsmi',
  'mkt_tok', 'ref_src', 'oly_anon_id', 'oly_enc_id', 'vero_id', '__s', 's_cid', 'cmpid',
];

describe('canonicalUrl', () => {
  it('lower-cases the host, drops default port, fragment and trackers, sorts the query', () => {
    expect(canonicalUrl('http://A.example:80/x?b=2&a=1&utm_source=rss#frag')).toBe('http://a.example/x?a=1&b=2');
    expect(canonicalUrl('HTTPS://News.Example.COM:443/Path')).toBe('https://news.example.com/Path');
  });

  it.each(TRACKERS)('removes %s in any case', (name) => {
    expect(canonicalUrl(`https://e.com/a?id=7&${name}=x`)).toBe('https://e.com/a?id=7');
    expect(canonicalUrl(`https://e.com/a?${name.toUpperCase()}=x&id=7`)).toBe('https://e.com/a?id=7');
    expect(canonicalUrl(`https://e.com/a?${name}`)).toBe('https://e.com/a');
  });

  it('recognises percent-encoded tracker names', () => {
    expect(canonicalUrl('https://e.com/?utm%5Fsource=x&k=1')).toBe('https://e.com/?k=1');
  });

  it('keeps other parameters byte for byte, duplicates in their original order', () => {
    expect(canonicalUrl('https://e.com/?z=1&q=b&amp&q=a&a=%20+x')).toBe('https://e.com/?a=%20+x&amp&q=b&q=a&z=1');
    expect(canonicalUrl('https://e.com/?flag')).toBe('https://e.com/?flag');
    expect(canonicalUrl('https://e.com/?a=1&&b=2&')).toBe('https://e.com/?a=1&b=2');
    expect(canonicalUrl('https://e.com/?bad=%E0%A4%A&a=1')).toBe('https://e.com/?a=1&bad=%E0%A4%A');
  });

  it('removes an empty query and an empty fragment', () => {
    expect(canonicalUrl('https://e.com/a?')).toBe('https://e.com/a');
    expect(canonicalUrl('https://e.com/a?utm_medium=x#')).toBe('https://e.com/a');
  });

  it('keeps hashbang fragments, which identify the page', () => {
    expect(canonicalUrl('https://e.com/#!/story/42')).toBe('https://e.com/#!/story/42');
  });

  it('keeps non-default ports, www, scheme, trailing slash and path case', () => {
    expect(canonicalUrl('http://www.e.com:8080/News/')).toBe('http://www.e.com:8080/News/');
    expect(canonicalUrl('https://e.com/index.html')).toBe('https://e.com/index.html');
    expect(canonicalUrl('http://e.com:443/')).toBe('http://e.com:443/');
  });

  it('resolves relative URLs against a base', () => {
    expect(canonicalUrl('/story?id=1#c', 'https://e.com/news/')).toBe('https://e.com/story?id=1');
    expect(canonicalUrl('story', 'https://e.com/news/')).toBe('https://e.com/news/story');
    expect(canonicalUrl('//cdn.e.com/x', 'https://e.com/')).toBe('https://cdn.e.com/x');
    expect(canonicalUrl('https://other.com/x', 'https://e.com/')).toBe('https://other.com/x');
    expect(canonicalUrl('../a/./b', 'https://e.com/x/y/')).toBe('https://e.com/x/a/b');
  });

  it('returns null for relative URLs without a base, or with an invalid base', () => {
    expect(canonicalUrl('/story')).toBeNull();
    expect(canonicalUrl('/story', 'not a url')).toBeNull();
  });

  it('returns null for anything but http and https', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl(' JavaScript:alert(1)')).toBeNull();
    expect(canonicalUrl('java\nscript:alert(1)')).toBeNull();
    expect(canonicalUrl('javascript:alert(1)', 'https://e.com/')).toBeNull();
    expect(canonicalUrl('data:text/html,<script>x</script>')).toBeNull();
    expect(canonicalUrl('mailto:a@e.com')).toBeNull();
    expect(canonicalUrl('ftp://e.com/file')).toBeNull();
    expect(canonicalUrl('file:///etc/passwd')).toBeNull();
  });

  it('returns null for unparseable input', () => {
    expect(canonicalUrl('')).toBeNull();
    expect(canonicalUrl('not a url')).toBeNull();
    expect(canonicalUrl('http://')).toBeNull();
    expect(canonicalUrl('http://exa mple.com/')).toBeNull();
    expect(canonicalUrl('https://[::1')).toBeNull();
  });

  it('trims surrounding whitespace and converts international hosts to punycode', () => {
    expect(canonicalUrl('  https://e.com/a \n')).toBe('https://e.com/a');
    expect(canonicalUrl('https://BÜCHER.de/ä')).toBe('https://xn--bcher-kva.de/%C3%A4');
  });

  it('is idempotent', () => {
    const once = canonicalUrl('HTTP://X.com:80/a b?z=1&utm_id=2&é=%20#f');
    expect(once).not.toBeNull();
    expect(canonicalUrl(once ?? '')).toBe(once);
  });
});
