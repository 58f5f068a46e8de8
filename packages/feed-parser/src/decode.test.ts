import { describe, expect, it } from 'vitest';
import { contentTypeCharset, decodeBody, decodeBodyWithEncoding, detectEncoding, normalizeEncodingLabel } from './decode.js';

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const KOI8R_MIR = new Uint8Array([0xcd, 0xc9, 0xd2]); // "мир"
const SJIS_NIHON = new Uint8Array([0x93, 0xfa, 0x96, 0x7b]); // "日本"

describe('detectEncoding / decodeBody', () => {
  it('lets a UTF-8 BOM win over the declaration and the header, and strips it', () => {
    const bytes = concat(new Uint8Array([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="koi8-r"?><r>é</r>'));
    expect(detectEncoding(bytes, 'text/xml; charset=shift_jis')).toEqual({ encoding: 'utf-8', source: 'bom' });
    expect(decodeBody(bytes, 'text/xml; charset=shift_jis')).toBe('<?xml version="1.0" encoding="koi8-r"?><r>é</r>');
  });

  it('decodes UTF-16 with either BOM, and UTF-16LE without one', () => {
    const text = '<?xml version="1.0"?><r>Ünïcödé</r>';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(decodeBody(concat(new Uint8Array([0xff, 0xfe]), le))).toBe(text);
    expect(decodeBody(concat(new Uint8Array([0xfe, 0xff]), be))).toBe(text);
    expect(decodeBodyWithEncoding(le)).toMatchObject({ text, encoding: 'utf-16le' });
  });

  it('prefers the XML declaration over the Content-Type charset', () => {
    const bytes = concat(ascii('<?xml version="1.0" encoding="KOI8-R"?><r>'), KOI8R_MIR, ascii('</r>'));
    const decoded = decodeBodyWithEncoding(bytes, 'application/rss+xml; charset=utf-8');
    expect(decoded.source).toBe('xml-declaration');
    expect(decoded.text).toBe('<?xml version="1.0" encoding="KOI8-R"?><r>мир</r>');
  });

  it('uses the Content-Type charset when the body declares nothing', () => {
    const bytes = concat(ascii('<r>'), SJIS_NIHON, ascii('</r>'));
    expect(decodeBodyWithEncoding(bytes, 'text/xml; Charset="Shift_JIS"')).toMatchObject({
      text: '<r>日本</r>',
      encoding: 'shift_jis',
      source: 'content-type',
    });
  });

  it('treats an unknown label as absent, falling through to UTF-8', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="x-klingon"?><r>é</r>');
    expect(decodeBodyWithEncoding(bytes, 'text/xml; charset=also-bogus')).toMatchObject({ encoding: 'utf-8', source: 'default' });
    expect(decodeBody(bytes)).toContain('<r>é</r>');
  });

  it('ignores a declaration claiming UTF-16 on 8-bit bytes', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-16"?><r>é</r>');
    expect(decodeBody(bytes)).toBe('<?xml version="1.0" encoding="UTF-16"?><r>é</r>');
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    const bytes = concat(ascii('<r>caf'), new Uint8Array([0xe9, 0x20, 0x80, 0x92]), ascii('</r>'));
    expect(decodeBodyWithEncoding(bytes)).toEqual({ text: '<r>café €’</r>', encoding: 'windows-1252', source: 'fallback' });
  });

  it('keeps a declared UTF-8 even when a byte is broken (no guessing over a declaration)', () => {
    const bytes = concat(ascii('<?xml version="1.0" encoding="utf-8"?><r>a'), new Uint8Array([0xe9]), ascii('b</r>'));
    expect(decodeBody(bytes)).toContain('<r>a\uFFFDb</r>');
  });

  it('decodes windows-1252 C1 bytes as the Encoding Standard says, whatever the Latin-1 label', () => {
    const bytes = new Uint8Array([0x80, 0x85, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9f, 0xe9]);
    for (const label of ['windows-1252', 'latin1', 'ISO-8859-1', 'us-ascii']) {
      expect(decodeBody(bytes, `text/xml; charset=${label}`)).toBe('€…“”–—™Ÿé');
    }
  });

  it('decodes other single-byte encodings through ICU', () => {
    expect(decodeBody(new Uint8Array([0xbc, 0xd8, 0xe0]), 'text/xml; charset=iso-8859-5')).toBe('Мир');
  });
});

describe('label helpers', () => {
  it('normalises labels the WHATWG way and refuses the replacement encoding', () => {
    expect(normalizeEncodingLabel(' UTF8 ')).toBe('utf-8');
    expect(normalizeEncodingLabel('latin1')).toBe('windows-1252');
    expect(normalizeEncodingLabel('iso-2022-kr')).toBeNull();
    expect(normalizeEncodingLabel('nope')).toBeNull();
    expect(normalizeEncodingLabel(undefined)).toBeNull();
  });

  it('reads the charset parameter of a Content-Type', () => {
    expect(contentTypeCharset('text/xml; charset="ISO-8859-1"')).toBe('ISO-8859-1');
    expect(contentTypeCharset('application/rss+xml;charset=utf-8; foo=bar')).toBe('utf-8');
    expect(contentTypeCharset('application/json')).toBeNull();
    expect(contentTypeCharset(null)).toBeNull();
  });
});

describe('legacy encodings through iconv-lite', () => {
  it('decodes every Hangul syllable of euc-kr (code page 949), not only the KS X 1001 ones', () => {
    // 똠 (0x8C63) is outside KS X 1001; 한 (0xC7D1) is inside.
    const bytes = Uint8Array.from([0x8c, 0x63, 0x20, 0xc7, 0xd1]);
    expect(decodeBody(bytes, 'application/rss+xml; charset=EUC-KR')).toBe('똠 한');
  });

  it('decodes iso-8859-16 (Romanian), which TextDecoder does not know', () => {
    const xml = Uint8Array.from([...Buffer.from('<?xml version="1.0" encoding="ISO-8859-16"?><t>'), 0xba, 0xfe, ...Buffer.from('</t>')]);
    expect(decodeBody(xml, null)).toContain('<t>șț</t>');
  });
});
