import { describe, expect, it } from 'vitest';
import { detectFormat, findRootElement } from './detect.js';

describe('detectFormat', () => {
  it.each([
    ['<?xml version="1.0"?><rss version="2.0"><channel/></rss>', 'rss'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', 'rss'],
    ['\uFEFF  <feed xmlns="http://www.w3.org/2005/Atom"/>', 'atom'],
    ['<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>', 'atom'],
    ['<!-- generator --><?xml-stylesheet href="s.xsl"?>\n<!DOCTYPE rss [<!ENTITY x "<feed>">]><rss/>', 'rss'],
    ['<!DOCTYPE html><html><body>hi</body></html>', 'html'],
    ['<!doctype HTML>\n<p>unclosed', 'html'],
    ['<html xmlns="http://www.w3.org/1999/xhtml"><head/></html>', 'html'],
    ['<?xml version="1.0"?><note><to>x</to></note>', 'unknown'],
    ['{"version": "https://jsonfeed.org/version/1.1", "items": []}', 'json'],
    ['{"items": [], "version": "https:\\/\\/jsonfeed.org\\/version\\/1"}', 'json'],
    ['{"version": "1.1", "items": []}', 'unknown'],
    ['just some text', 'unknown'],
    ['   ', 'unknown'],
  ])('%j → %s', (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });
});

describe('findRootElement', () => {
  it('skips the prolog and reports the root name and offset', () => {
    const text = '<?xml version="1.0"?>\n<!-- <feed> in a comment -->\n<rss version="2.0"/>';
    expect(findRootElement(text)).toEqual({ name: 'rss', offset: text.indexOf('<rss') });
  });

  it('returns null when there is no element, including an unterminated comment', () => {
    expect(findRootElement('<?xml version="1.0"?>')).toBeNull();
    expect(findRootElement('<!-- never closed <rss/>')).toBeNull();
    expect(findRootElement('no markup here')).toBeNull();
  });
});
