import { describe, expect, it } from 'vitest';
import { MaxmindGeo } from '../../stream/enrich/maxmind.js';
import { NightjarError } from '../../core/errors.js';
import { testdata } from '../testdata.js';

const db = (name: string) => testdata('maxmind', name);

describe('MaxmindGeo on the MaxMind test databases', () => {
  const geo = MaxmindGeo.open({ city: db('GeoIP2-City-Test.mmdb'), asn: db('GeoLite2-ASN-Test.mmdb') });

  it('resolves a city listed in GeoIP2-City-Test.json', () => {
    const g = geo.lookup('81.2.69.160');
    expect(g?.country).toBe('GB');
    expect(g?.city).toBe('London');
    expect(typeof g?.lat).toBe('number');
  });

  it('resolves an ASN listed in GeoLite2-ASN-Test.json', () => {
    expect(geo.lookup('1.128.0.1')).toMatchObject({ asn: 1221, as_org: 'Telstra Pty Ltd' });
  });

  it('gives null for an address in neither database', () => {
    expect(geo.lookup('192.0.2.1')).toBeNull();
  });

  it('refuses the broken database at open with a clear error naming the file', () => {
    const open = () => MaxmindGeo.open({ city: db('MaxMind-DB-test-broken-pointers-24.mmdb') });
    expect(open).toThrow(NightjarError);
    expect(open).toThrow(/MaxMind-DB-test-broken-pointers-24\.mmdb is invalid or corrupt/);
  });

  it('refuses a database of the wrong kind', () => {
    expect(() => MaxmindGeo.open({ city: db('GeoLite2-ASN-Test.mmdb') })).toThrow(/expected one matching/);
  });

  it('refuses a missing file', () => {
    expect(() => MaxmindGeo.open({ asn: '/nonexistent/nope.mmdb' })).toThrow(/cannot read the MaxMind database/);
  });
});
