import { describe, expect, it } from 'vitest';
import { assess, isRareEventCount, rarityFlag, rarityScore, DEFAULT_THRESHOLDS } from '../../stream/rarity/score.js';
import { rarityKeys, registeredDomain } from '../../stream/rarity/keys.js';
import type { BaselineMeta } from '../../stream/rarity/layout.js';
import { makeEvent } from '../fixtures/event.js';

const meta: BaselineMeta = {
  version: 'v1', engine: 'duckdb', window_start: '2024-02-01', window_end: '2024-03-02', baseline_days: 30, events: 9_000_000,
  total_hosts: 2_345, total_users: 1_900, keys: {}, max_events: { logon: 400, host_pair: 10_000 }, loaded_at: 0, expires_at: Infinity,
};
const pc = { kind: 'parent_child' as const, key: 'powershell.exe>rundll32.exe' };
const e = makeEvent({ host: 'ws-042', parent_process: 'powershell.exe', process: 'rundll32.exe' });
const entry = (events: number, hosts: number) => ({ events, hosts, first_seen: 0, last_seen: 0 });

describe('rarity score', () => {
  it('is 1 for never seen, falls with spread, 0 when seen everywhere', () => {
    expect(rarityScore(0, 2_345)).toBe(1);
    expect(rarityScore(1, 2_345)).toBeGreaterThan(rarityScore(10, 2_345));
    expect(rarityScore(10, 2_345)).toBeGreaterThan(rarityScore(1_000, 2_345));
    expect(rarityScore(2_345, 2_345)).toBe(0);
  });

  it('flags a pair seen on one host with a reason read at a glance', () => {
    const a = assess(pc, entry(3, 1), 1, meta, DEFAULT_THRESHOLDS);
    expect(a.verdict).toBe('rare');
    expect(a.rarity).toMatchObject({ kind: 'parent_child', events: 4, hosts: 1, total_hosts: 2_345 });
    const flag = rarityFlag(pc, e, a, meta, DEFAULT_THRESHOLDS)!;
    expect(flag.rule).toBe('rare_parent_child');
    expect(flag.reason).toBe('powershell.exe → rundll32.exe seen on 1 of 2,345 hosts in the last 30 days (now on ws-042)');
    expect(flag.score).toBeGreaterThan(40);
  });

  it('flags never-seen keys hardest and says how often they occurred since', () => {
    const a = assess(pc, null, 2, meta, DEFAULT_THRESHOLDS);
    expect(a.verdict).toBe('never_seen');
    const flag = rarityFlag(pc, e, a, meta, DEFAULT_THRESHOLDS)!;
    expect(flag).toEqual({ rule: 'never_seen_parent_child', score: 60, reason: 'powershell.exe → rundll32.exe never seen on any of 2,345 hosts in the last 30 days (now on ws-042); 2 times since' });
  });

  it('does not flag common keys, nor a key past its flag budget, nor on a fleet too small to judge', () => {
    expect(rarityFlag(pc, e, assess(pc, entry(900, 800), 1, meta, DEFAULT_THRESHOLDS), meta, DEFAULT_THRESHOLDS)).toBeNull();
    expect(rarityFlag(pc, e, assess(pc, null, 4, meta, DEFAULT_THRESHOLDS), meta, DEFAULT_THRESHOLDS)).toBeNull();
    const tiny = { ...meta, total_hosts: 3 };
    expect(assess(pc, null, 1, tiny, DEFAULT_THRESHOLDS).verdict).toBe('common');
    const noPairs = { ...DEFAULT_THRESHOLDS, kinds: new Set(['logon']) };
    expect(rarityFlag(pc, e, assess(pc, null, 1, meta, noPairs), meta, noPairs)).toBeNull();
  });

  it('measures logons and host pairs in events, with their own words', () => {
    const logon = { kind: 'logon' as const, key: 'admin@dc-01' };
    const a = assess(logon, entry(2, 1), 1, meta, DEFAULT_THRESHOLDS);
    expect(a.verdict).toBe('rare');
    expect(rarityFlag(logon, e, a, meta, DEFAULT_THRESHOLDS)!.reason).toBe('admin logged on to dc-01 only 2 times in the last 30 days');
    const pair = { kind: 'host_pair' as const, key: '10.0.0.5>10.0.9.9' };
    expect(rarityFlag(pair, e, assess(pair, null, 1, meta, DEFAULT_THRESHOLDS), meta, DEFAULT_THRESHOLDS)!.reason).toBe('10.0.0.5 never connected to 10.0.9.9 in the last 30 days');
    expect(assess(pair, entry(3, 1), 1, meta, DEFAULT_THRESHOLDS).verdict).toBe('common');
  });
});

describe('rare event counts', () => {
  it('does not call a daily routine rare, however short the window', () => {
    expect(isRareEventCount(2, 2, DEFAULT_THRESHOLDS)).toBe(false);
    expect(isRareEventCount(1, 2, DEFAULT_THRESHOLDS)).toBe(false);
    expect(isRareEventCount(2, 30, DEFAULT_THRESHOLDS)).toBe(true);
    expect(isRareEventCount(3, 30, DEFAULT_THRESHOLDS)).toBe(false);
  });
});

describe('rarity keys', () => {
  it('takes the registered domain like the SQL macro does', () => {
    expect(registeredDomain('www.google.com')).toBe('google.com');
    expect(registeredDomain('mail.example.co.uk')).toBe('example.co.uk');
    expect(registeredDomain('a.b.example.com.au')).toBe('example.com.au');
    expect(registeredDomain('evil.co.com')).toBe('co.com');
    expect(registeredDomain('localhost')).toBe('localhost');
  });

  it('adds DNS names to the counted keys, lower case without the root dot', () => {
    const keys = rarityKeys(makeEvent({ event_type: 'dns_query', dns_query: 'CDN.Example.CO.UK.', process_path: null }));
    expect(keys).toEqual([{ kind: 'domain', key: 'cdn.example.co.uk' }, { kind: 'registered_domain', key: 'example.co.uk' }]);
    const proc = rarityKeys(makeEvent({ process_path: 'C:\\Windows\\System32\\RunDLL32.exe', process: 'rundll32.exe', parent_process: 'powershell.exe', sha256: 'ab'.repeat(32) }));
    expect(proc.map((k) => `${k.kind}:${k.key}`)).toEqual(['process_image:c:\\windows\\system32\\rundll32.exe', `process_hash:sha256:${'ab'.repeat(32)}`, 'parent_child:powershell.exe>rundll32.exe']);
  });
});
