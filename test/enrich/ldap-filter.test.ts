import { describe, expect, it } from 'vitest';
import { FilterParser, EqualityFilter, OrFilter, AndFilter } from 'ldapts';
import { escapeFilterValue, isAttributeName, renderFilter, sidFromBytes, sidToBytes } from '../../stream/enrich/ldap-filter.js';

describe('RFC 4515 filter value escaping', () => {
  it('escapes the five special characters and nothing else', () => {
    expect(escapeFilterValue('a*b(c)d\\e\0f')).toBe('a\\2ab\\28c\\29d\\5ce\\00f');
    expect(escapeFilterValue('jörg.müller@corp.example.com')).toBe('jörg.müller@corp.example.com');
    expect(escapeFilterValue('')).toBe('');
  });

  it('escapes binary values byte by byte', () => {
    expect(escapeFilterValue(Uint8Array.from([0x01, 0x05, 0x00, 0xff, 0x2a]))).toBe('\\01\\05\\00\\ff\\2a');
  });

  it('keeps hostile user names as data: a real filter parser sees one equality on the intended attribute', () => {
    const hostile = [
      '*)(uid=*',
      'admin)(|(objectClass=*)',
      '*',
      'x)(&)',
      'bob\\29',
      ')(sAMAccountName=administrator',
      'evil\0null',
      '((((',
    ];
    for (const value of hostile) {
      const text = renderFilter({ and: [{ raw: '(objectCategory=person)' }, { or: [{ eq: 'sAMAccountName', value }] }] });
      const parsed = FilterParser.parseString(text);
      expect(parsed).toBeInstanceOf(AndFilter);
      const [category, or] = (parsed as AndFilter).filters;
      expect(category).toBeInstanceOf(EqualityFilter);
      expect(or).toBeInstanceOf(OrFilter);
      const inner = (or as OrFilter).filters;
      expect(inner).toHaveLength(1);
      expect(inner[0]).toBeInstanceOf(EqualityFilter);
      expect((inner[0] as EqualityFilter).attribute).toBe('sAMAccountName');
      expect((inner[0] as EqualityFilter).value).toBe(value);
    }
  });

  it('an unescaped value would have changed the filter (the test above can fail)', () => {
    expect(() => FilterParser.parseString('(&(objectCategory=person)(|(sAMAccountName=*)(uid=*)))')).not.toThrow();
    const injected = FilterParser.parseString('(|(sAMAccountName=*)(uid=*))') as OrFilter;
    expect(injected.filters).toHaveLength(2);
  });

  it('refuses attribute names that are not attribute names', () => {
    expect(isAttributeName('sAMAccountName')).toBe(true);
    expect(isAttributeName('1.2.840.113556.1.4.221')).toBe(true);
    expect(isAttributeName('uid)(cn')).toBe(false);
    expect(isAttributeName('')).toBe(false);
    expect(() => renderFilter({ eq: 'cn=*)(x', value: 'v' })).toThrow(/not an LDAP attribute name/);
  });
});

describe('Windows SIDs', () => {
  // The documented layout of S-1-5-21-1004336348-1177238915-682003330-512 (Domain Admins of a domain).
  const text = 'S-1-5-21-1004336348-1177238915-682003330-512';
  const bytes = '01 05 00 00 00 00 00 05 15 00 00 00 dc f4 dc 3b 83 3d 2b 46 82 8b a6 28 00 02 00 00';

  it('encodes a SID as AD stores it in objectSid', () => {
    expect(Buffer.from(sidToBytes(text)!).toString('hex').match(/../g)!.join(' ')).toBe(bytes);
    expect(escapeFilterValue(sidToBytes(text)!)).toBe(bytes.split(' ').map((b) => `\\${b}`).join(''));
  });

  it('decodes objectSid bytes to the text form, and round-trips', () => {
    expect(sidFromBytes(Buffer.from(bytes.replace(/ /g, ''), 'hex'))).toBe(text);
    for (const sid of ['S-1-5-18', 'S-1-1-0', 'S-1-5-21-1-2-3-4294967295']) expect(sidFromBytes(sidToBytes(sid)!)).toBe(sid);
  });

  it('rejects what is not a SID', () => {
    expect(sidToBytes('S-1-5-21-4294967296')).toBeNull();
    expect(sidToBytes('S-2-5')).toBeNull();
    expect(sidToBytes('alice')).toBeNull();
    expect(sidFromBytes(Uint8Array.from([1, 2, 0, 0, 0, 0, 0, 5, 1, 0, 0, 0]))).toBeNull();
    expect(sidFromBytes(Uint8Array.from([2]))).toBeNull();
  });
});
