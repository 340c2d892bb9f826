// LDAP / AD user attributes against a real OpenLDAP slapd (scripts/services/ldap.sh, with
// its small AD-like schema), loaded with users from an LDIF this test writes under an OU
// of its own. Exercises the AD defaults (sAMAccountName, UPN, binary objectSid,
// userAccountControl, memberOf) and a configuration with OpenLDAP-style attributes.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapDirectory, type LdapAttributeNames, type UserIdentity } from '../../stream/enrich/ldap-directory.js';
import { LdapStage } from '../../stream/enrich/ldap.js';
import { sidToBytes } from '../../stream/enrich/ldap-filter.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { NightjarError } from '../../core/errors.js';
import { metrics } from '../../core/metrics.js';
import { makeEvent } from '../fixtures/event.js';
import { loadServicesEnv, requireService, runId } from './env.js';

const run = promisify(execFile);
const env = loadServicesEnv();
const url = env.NIGHTJAR_LDAP_URL ?? 'ldap://127.0.0.1:13389';
const suffix = env.NIGHTJAR_LDAP_SUFFIX ?? 'dc=corp,dc=example,dc=com';
const adminDn = env.NIGHTJAR_LDAP_ADMIN_DN ?? `cn=admin,${suffix}`;
const adminPassword = env.NIGHTJAR_LDAP_ADMIN_PASSWORD ?? '';

const up = await requireService('ldap', async () => {
  const c = new Client({ url, timeout: 2_000, connectTimeout: 2_000 });
  try {
    const { searchEntries } = await c.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts'] });
    if (!JSON.stringify(searchEntries).toLowerCase().includes(suffix.toLowerCase())) throw new Error(`slapd does not serve ${suffix}`);
  } finally {
    await c.unbind().catch(() => undefined);
  }
});

const AD: LdapAttributeNames = {
  account: 'sAMAccountName', upn: 'userPrincipalName', sid: 'objectSid', sid_format: 'binary', display_name: 'displayName',
  title: 'title', department: 'department', groups: 'memberOf', manager: 'manager', enabled: 'userAccountControl', enabled_format: 'uac',
};

describe.runIf(up)('LDAP user attributes against slapd', () => {
  const ou = `ou=${runId('ldap')},${suffix}`;
  const svcDn = `cn=svc-nightjar,${ou}`;
  const svcPassword = 'svc-test-password';
  const aliceSid = 'S-1-5-21-3623811015-3361044348-30300820-1104';
  const bobSid = 'S-1-5-21-3623811015-3361044348-30300820-1105';
  let dir: string;

  const b64 = (sid: string) => Buffer.from(sidToBytes(sid)!).toString('base64');
  const ldif = `
dn: ${ou}
objectClass: organizationalUnit
ou: ${ou.slice(3, ou.indexOf(','))}

dn: ${svcDn}
objectClass: inetOrgPerson
cn: svc-nightjar
sn: service
userPassword: ${svcPassword}

dn: cn=Alice Example,${ou}
objectClass: inetOrgPerson
objectClass: nightjarAdUser
cn: Alice Example
sn: Example
uid: aexample
mail: alice.example@corp.example.com
employeeNumber: ${aliceSid}
displayName: Alice Example
title: Security Engineer
department: Detection
sAMAccountName: alice
userPrincipalName: alice@corp.example.com
objectSid:: ${b64(aliceSid)}
userAccountControl: 512
memberOf: CN=Domain Users,CN=Users,${suffix}
memberOf: CN=VPN Users,OU=Groups,${suffix}
manager: cn=Bob Builder,${ou}

dn: cn=Bob Builder,${ou}
objectClass: inetOrgPerson
objectClass: nightjarAdUser
cn: Bob Builder
sn: Builder
uid: bbuilder
displayName: Bob Builder
title: Head of IT
sAMAccountName: bob
userPrincipalName: bob@corp.example.com
objectSid:: ${b64(bobSid)}
userAccountControl: 514
`;

  const directory = (over: Partial<ConstructorParameters<typeof LdapDirectory>[0]> = {}) =>
    new LdapDirectory({
      url, bindDn: svcDn, bindPassword: svcPassword, baseDn: ou, userFilter: '(objectClass=inetOrgPerson)',
      timeoutMs: 3_000, connectTimeoutMs: 3_000, maxPerSearch: 100, attributes: AD, ...over,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-ldap-'));
    const file = path.join(dir, 'users.ldif');
    await writeFile(file, ldif.trimStart());
    await run('ldapadd', ['-x', '-H', url, '-D', adminDn, '-w', adminPassword, '-f', file]);
  });
  afterAll(async () => {
    await run('ldapdelete', ['-x', '-r', '-H', url, '-D', adminDn, '-w', adminPassword, ou]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('finds users by account name, UPN and binary objectSid in one search, and maps their attributes', async () => {
    const d = directory();
    const ids: UserIdentity[] = [
      { kind: 'account', account: 'alice' },
      { kind: 'upn', upn: 'bob@corp.example.com', account: 'bob' },
      { kind: 'sid', sid: aliceSid },
      { kind: 'account', account: 'mallory' },
    ];
    const found = await d.findUsers(ids);
    const alice = {
      display_name: 'Alice Example', title: 'Security Engineer', department: 'Detection', groups: ['Domain Users', 'VPN Users'],
      manager: 'Bob Builder', enabled: true, dn: `cn=Alice Example,${ou}`,
    };
    expect(found.get('a:alice')).toEqual(alice);
    expect(found.get(`s:${aliceSid}`)).toEqual(alice);
    expect(found.get('u:bob@corp.example.com')).toEqual({
      display_name: 'Bob Builder', title: 'Head of IT', department: null, groups: [], manager: null, enabled: false, dn: `cn=Bob Builder,${ou}`,
    });
    expect(found.get('a:mallory')).toBeNull();
    await d.close();
  });

  it('treats filter syntax in user names as data', async () => {
    const d = directory();
    const hostile: UserIdentity[] = ['*', '*)(sAMAccountName=*', 'alice)(|(objectClass=*'].map((account) => ({ kind: 'account', account }));
    const found = await d.findUsers(hostile);
    expect([...found.values()]).toEqual([null, null, null]);
    await d.close();
  });

  it('works with OpenLDAP-style attribute names and a SID stored as text', async () => {
    const d = directory({ attributes: { ...AD, account: 'uid', upn: 'mail', sid: 'employeeNumber', sid_format: 'string' } });
    const found = await d.findUsers([
      { kind: 'account', account: 'bbuilder' },
      { kind: 'upn', upn: 'alice.example@corp.example.com', account: 'alice.example' },
      { kind: 'sid', sid: aliceSid },
    ]);
    expect(found.get('a:bbuilder')?.display_name).toBe('Bob Builder');
    expect(found.get('u:alice.example@corp.example.com')?.display_name).toBe('Alice Example');
    expect(found.get(`s:${aliceSid}`)?.display_name).toBe('Alice Example');
    await d.close();
  });

  it('enriches events in DOMAIN\\user, UPN and SID forms through the stage, from cache the second time', async () => {
    const state = new MemoryStateStore();
    const stage = new LdapStage(directory(), state, {
      domains: ['corp', 'corp.example.com'], timeoutMs: 3_000, ttlMs: 3_600_000, negativeTtlMs: 60_000, errorBackoffMs: 30_000, cacheSize: 100,
    });
    const batch = () => [
      makeEvent({ user: 'alice', user_domain: 'CORP' }),
      makeEvent({ user: 'bob', user_domain: 'corp.example.com' }),
      makeEvent({ user: null, event_code: 4624, fields: { TargetUserSid: aliceSid } }),
      makeEvent({ user: 'system', user_domain: 'NT AUTHORITY' }),
      makeEvent({ user: 'alice', user_domain: 'ELSEWHERE' }),
    ];
    const lookups = () => metrics.get('nightjar_enrich_lookups_total', { enrichment: 'ldap' });
    const before = lookups();
    const first = batch();
    await stage.run(first);
    expect(first.map((e) => [e.user_attrs?.display_name ?? null, e.user_attrs?.enabled ?? null])).toEqual([
      ['Alice Example', true], ['Bob Builder', false], ['Alice Example', true], [null, null], [null, null],
    ]);
    expect(lookups() - before).toBe(3);
    const second = batch();
    await stage.run(second);
    expect(second.map((e) => e.user_attrs?.display_name ?? null)).toEqual(['Alice Example', 'Bob Builder', 'Alice Example', null, null]);
    expect(lookups() - before).toBe(3);
    await stage.close();
  });

  it('reports a failed bind as a retriable service error, and the stage lets events through without attributes', async () => {
    const bad = directory({ bindPassword: 'wrong' });
    const err = await bad.findUsers([{ kind: 'account', account: 'alice' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NightjarError);
    expect((err as NightjarError).code).toBe('SERVICE_UNAVAILABLE');
    const stage = new LdapStage(directory({ bindPassword: 'wrong' }), null, {
      domains: [], timeoutMs: 3_000, ttlMs: 3_600_000, negativeTtlMs: 60_000, errorBackoffMs: 30_000, cacheSize: 100,
    });
    const events = [makeEvent({ user: 'alice', user_domain: 'CORP' })];
    await stage.run(events);
    expect(events[0]!.user_attrs).toBeNull();
    await stage.close();
    await bad.close();
  });

});
