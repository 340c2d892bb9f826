import { describe, expect, it } from 'vitest';
import type { UserAttrs } from '../../schema/types.js';
import { LdapStage, userIdentity, type LdapStageOptions } from '../../stream/enrich/ldap.js';
import { identityKey, firstRdnValue, type UserDirectory, type UserIdentity } from '../../stream/enrich/ldap-directory.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { metrics } from '../../core/metrics.js';
import { makeEvent } from '../fixtures/event.js';

const any = { domains: [] as string[] };

describe('userIdentity: which directory user an event names', () => {
  it('maps DOMAIN\\user, UPN and SID forms', () => {
    expect(userIdentity(makeEvent({ user: 'stevie.marie', user_domain: 'PANDALAB' }), any)).toEqual({ kind: 'account', account: 'stevie.marie' });
    expect(userIdentity(makeEvent({ user: 'PANDALAB\\Stevie.Marie' }), any)).toEqual({ kind: 'account', account: 'stevie.marie' });
    expect(userIdentity(makeEvent({ user: 'alice', user_domain: 'Corp.Example.com' }), any)).toEqual({ kind: 'upn', upn: 'alice@corp.example.com', account: 'alice' });
    expect(userIdentity(makeEvent({ user: 'Alice@corp.example.com' }), any)).toEqual({ kind: 'upn', upn: 'alice@corp.example.com', account: 'alice' });
    expect(userIdentity(makeEvent({ user: 's-1-5-21-1-2-3-1104' }), any)).toEqual({ kind: 'sid', sid: 'S-1-5-21-1-2-3-1104' });
    expect(userIdentity(makeEvent({ user: null, fields: { TargetUserSid: 'S-1-5-21-111-222-333-1105', SubjectUserSid: 'S-1-5-18' } }), any))
      .toEqual({ kind: 'sid', sid: 'S-1-5-21-111-222-333-1105' });
    expect(userIdentity(makeEvent({ user: null, fields: { SubjectUserSid: 'S-1-5-21-111-222-333-500' } }), any)).toEqual({ kind: 'sid', sid: 'S-1-5-21-111-222-333-500' });
  });

  it('skips built-in principals, machine accounts, well-known SIDs and foreign domains', () => {
    for (const [user, domain] of [
      ['system', 'NT AUTHORITY'], ['local service', 'NT AUTHORITY'], ['dwm-1', 'Window Manager'], ['umfd-0', 'Font Driver Host'],
      ['mordordc$', 'THESHIRE'], ['-', null], ['s-1-5-18', null], ['defaultapppool', 'IIS APPPOOL'],
    ] as const) {
      expect(userIdentity(makeEvent({ user, user_domain: domain }), any), `${domain}\\${user}`).toBeNull();
    }
    expect(userIdentity(makeEvent({ user: null, fields: { SubjectUserSid: 'S-1-5-18' } }), any)).toBeNull();
    const only = { domains: ['pandalab', 'pandalab.com'] };
    expect(userIdentity(makeEvent({ user: 'bob', user_domain: 'OTHERDOM' }), only)).toBeNull();
    expect(userIdentity(makeEvent({ user: 'bob', user_domain: 'PandaLab' }), only)).toEqual({ kind: 'account', account: 'bob' });
    expect(userIdentity(makeEvent({ user: 'bob', user_domain: null }), only)).toEqual({ kind: 'account', account: 'bob' });
  });

  it('takes the first RDN value of group and manager DNs, escapes included', () => {
    expect(firstRdnValue('CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com')).toBe('Domain Admins');
    expect(firstRdnValue('cn=Smith\\, John,ou=People,dc=corp')).toBe('Smith, John');
  });
});

function attrs(name: string): UserAttrs {
  return { display_name: name, title: 'Engineer', department: 'IT', groups: ['Staff'], manager: null, enabled: true, dn: `cn=${name},dc=corp` };
}

/** A directory knowing alice and bob; records each call; can be made to fail or hang. */
class FakeDirectory implements UserDirectory {
  readonly name = 'fake';
  calls: UserIdentity[][] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private release: (() => void) | null = null;

  async findUsers(ids: readonly UserIdentity[]): Promise<Map<string, UserAttrs | null>> {
    this.calls.push([...ids]);
    if (this.mode === 'fail') throw new Error('connection refused');
    if (this.mode === 'hang') await new Promise<void>((r) => (this.release = r));
    const out = new Map<string, UserAttrs | null>();
    for (const id of ids) {
      const account = id.kind === 'sid' ? (id.sid.endsWith('-1104') ? 'alice' : null) : id.account;
      out.set(identityKey(id), account === 'alice' || account === 'bob' ? attrs(account) : null);
    }
    return out;
  }
  finish(): void {
    this.release?.();
  }
  async close(): Promise<void> {}
}

function options(over: Partial<LdapStageOptions> = {}): LdapStageOptions {
  return { domains: [], timeoutMs: 1_000, ttlMs: 3_600_000, negativeTtlMs: 60_000, errorBackoffMs: 30_000, cacheSize: 100, ...over };
}

describe('LdapStage', () => {
  it('looks each distinct user up once per batch, in one directory call, and fills user_attrs', async () => {
    const dir = new FakeDirectory();
    const stage = new LdapStage(dir, null, options());
    const events = [
      makeEvent({ user: 'alice', user_domain: 'CORP' }),
      makeEvent({ user: 'ALICE', user_domain: 'corp' }),
      makeEvent({ user: 'bob', user_domain: 'CORP' }),
      makeEvent({ user: 'mallory', user_domain: 'CORP' }),
      makeEvent({ user: 'system', user_domain: 'NT AUTHORITY' }),
      makeEvent({ user: null, fields: { TargetUserSid: 'S-1-5-21-9-9-9-1104' } }),
    ];
    await stage.run(events);
    expect(dir.calls).toHaveLength(1);
    expect(dir.calls[0]!.map(identityKey).sort()).toEqual(['a:alice', 'a:bob', 'a:mallory', 's:S-1-5-21-9-9-9-1104']);
    expect(events.map((e) => e.user_attrs?.display_name ?? null)).toEqual(['alice', 'alice', 'bob', null, null, 'alice']);
  });

  it('answers repeats from L1, other workers from L2, and expires negatives sooner than positives', async () => {
    let now = Date.UTC(2024, 0, 1);
    const state = new MemoryStateStore(1_000, () => now);
    const dir = new FakeDirectory();
    const worker1 = new LdapStage(dir, state, options(), () => now);
    await worker1.run([makeEvent({ user: 'alice' }), makeEvent({ user: 'mallory' })]);
    await worker1.run([makeEvent({ user: 'alice' }), makeEvent({ user: 'mallory' })]);
    expect(dir.calls).toHaveLength(1);

    // a second worker with a cold L1 finds both answers (the negative too) in the shared state store
    const dir2 = new FakeDirectory();
    const worker2 = new LdapStage(dir2, state, options(), () => now);
    const e = [makeEvent({ user: 'alice' }), makeEvent({ user: 'mallory' })];
    await worker2.run(e);
    expect(dir2.calls).toHaveLength(0);
    expect(e[0]!.user_attrs).toEqual(attrs('alice'));
    expect(e[1]!.user_attrs).toBeNull();

    now += 61_000; // past the negative TTL, within the positive one
    await worker2.run([makeEvent({ user: 'alice' }), makeEvent({ user: 'mallory' })]);
    expect(dir2.calls.map((c) => c.map(identityKey))).toEqual([['a:mallory']]);
  });

  it('backs off after a directory failure: events flow without attributes, no call until the back-off ends', async () => {
    let now = Date.UTC(2024, 0, 1);
    const dir = new FakeDirectory();
    dir.mode = 'fail';
    const stage = new LdapStage(dir, null, options(), () => now);
    const errorsBefore = metrics.get('nightjar_enrich_errors_total', { enrichment: 'ldap' });
    const batch = [makeEvent({ user: 'alice' })];
    await stage.run(batch);
    expect(batch[0]!.user_attrs).toBeNull();
    await stage.run([makeEvent({ user: 'alice' })]);
    expect(dir.calls).toHaveLength(1);
    expect(metrics.get('nightjar_enrich_errors_total', { enrichment: 'ldap' })).toBe(errorsBefore + 1);

    dir.mode = 'ok';
    now += 30_001;
    const later = [makeEvent({ user: 'alice' })];
    await stage.run(later);
    expect(dir.calls).toHaveLength(2);
    expect(later[0]!.user_attrs?.display_name).toBe('alice');
  });

  it('never waits longer than its timeout for a hung directory, and caches the late answer', async () => {
    const dir = new FakeDirectory();
    dir.mode = 'hang';
    const stage = new LdapStage(dir, null, options({ timeoutMs: 20 }));
    const first = [makeEvent({ user: 'alice' })];
    await stage.run(first); // returns at the deadline although the directory has not answered
    expect(first[0]!.user_attrs).toBeNull();
    await stage.run([makeEvent({ user: 'bob' })]); // the call is still out: no second one
    expect(dir.calls).toHaveLength(1);

    dir.finish();
    await new Promise((r) => setImmediate(r));
    const next = [makeEvent({ user: 'alice' })];
    await stage.run(next);
    expect(next[0]!.user_attrs?.display_name).toBe('alice');
    expect(dir.calls).toHaveLength(1);
  });
});
