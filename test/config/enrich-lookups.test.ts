import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../cli/config/load.js';

describe('enrich.reverse_dns, enrich.passive_dns, enrich.ldap config', () => {
  it('has defaults: reverse DNS and LDAP off, passive DNS on', () => {
    const c = validateConfig({}, 'test', {});
    expect(c.enrich.reverse_dns).toMatchObject({ enabled: false, servers: [], timeout: 1_000, negative_ttl: 300_000, concurrency: 64 });
    expect(c.enrich.passive_dns).toMatchObject({ enabled: true, retention: 90 * 86_400_000 });
    expect(c.enrich.ldap).toMatchObject({ enabled: false, bind_password: null, attributes: { account: 'sAMAccountName', sid_format: 'binary' } });
  });

  it('reads durations, servers and attribute names, and takes the bind password from the environment', () => {
    const c = validateConfig(
      {
        enrich: {
          reverse_dns: { enabled: true, servers: ['10.0.0.53', '127.0.0.1:15353', '[::1]:53'], timeout: '250ms', ttl: '2h' },
          ldap: { enabled: true, url: 'ldaps://dc01.corp.example.com:636', base_dn: 'dc=corp', bind_dn: 'cn=svc', domains: ['CORP'], attributes: { account: 'uid', sid_format: 'string' } },
        },
      },
      'test',
      { NIGHTJAR_LDAP_BIND_PASSWORD: 's3cret' },
    );
    expect(c.enrich.reverse_dns.timeout).toBe(250);
    expect(c.enrich.reverse_dns.ttl).toBe(7_200_000);
    expect(c.enrich.ldap.bind_password).toBe('s3cret');
    expect(c.enrich.ldap.domains).toEqual(['corp']);
    expect(c.enrich.ldap.attributes).toMatchObject({ account: 'uid', upn: 'userPrincipalName', sid_format: 'string' });
  });

  it('names the path and the expectation of a bad value', () => {
    const bad = (enrich: unknown) => () => validateConfig({ enrich }, 'test.yaml', {});
    expect(bad({ reverse_dns: { servers: ['dns.example.com'] } })).toThrow(/enrich\.reverse_dns\.servers\.0: expected an address/);
    expect(bad({ reverse_dns: { timeout: 'soon' } })).toThrow(/enrich\.reverse_dns\.timeout: expected a duration/);
    expect(bad({ ldap: { enabled: true } })).toThrow(/enrich\.ldap\.base_dn: required when enrich\.ldap\.enabled/);
    expect(bad({ ldap: { enabled: true, base_dn: 'dc=x', bind_dn: 'cn=svc' } })).toThrow(/enrich\.ldap\.bind_password: set NIGHTJAR_LDAP_BIND_PASSWORD/);
    expect(bad({ ldap: { attributes: { account: 'uid)(cn' } } })).toThrow(/enrich\.ldap\.attributes\.account: expected an LDAP attribute name/);
    expect(bad({ ldap: { url: 'http://dc01' } })).toThrow(/enrich\.ldap\.url/);
    expect(bad({ passive_dns: { retension: '1d' } })).toThrow(/unknown field\(s\) "retension"/);
  });
});
