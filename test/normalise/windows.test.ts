import { describe, expect, it } from 'vitest';
import { normalise, windowsEventTime } from '../../stream/normalise/index.js';
import { evtxView, flatView } from '../../stream/normalise/windows-view.js';
import type { RawEvent } from '../../schema/types.js';
import { readAll } from '../ingest/helpers.js';
import { testdata } from '../testdata.js';

function raw(fields: Record<string, unknown>, format: RawEvent['format'] = 'windows_flat'): RawEvent {
  return { format, log_type: null, fields, origin: 't', origin_offset: 1, host_hint: null, raw: Buffer.from(JSON.stringify(fields)) };
}

describe('Windows time choice', () => {
  it('prefers Sysmon UtcTime over @timestamp, which is local time with a false Z in cmd_mshta', () => {
    const v = flatView({ UtcTime: '2020-10-22 06:57:55.600', '@timestamp': '2020-10-22T02:57:55.601Z', TimeCreated: '2020-10-22T02:57:55.601Z' });
    expect(windowsEventTime(v)).toEqual({ ts: Date.UTC(2020, 9, 22, 6, 57, 55, 600), basis: 'UtcTime' });
  });
  it('uses @timestamp (collector UTC) over the zone-less EventTime', () => {
    const v = flatView({ '@timestamp': '2020-09-04T20:09:40.845Z', EventTime: '2020-09-04 16:09:38' });
    expect(windowsEventTime(v)).toEqual({ ts: Date.UTC(2020, 8, 4, 20, 9, 40, 845), basis: '@timestamp' });
  });
  it('uses EVTX SystemTime, with microseconds', () => {
    const v = evtxView({ Event: { System: { EventID: 1, TimeCreated: { '#attributes': { SystemTime: '2025-11-27T07:40:10.165324Z' } } } } });
    expect(windowsEventTime(v)).toEqual({ ts: Date.UTC(2025, 10, 27, 7, 40, 10, 165), basis: 'SystemTime' });
  });
  it('falls back to EventTime, then TimeCreated, taken as UTC', () => {
    expect(windowsEventTime(flatView({ EventTime: '2020-09-04 16:09:38' }))).toEqual({ ts: Date.UTC(2020, 8, 4, 16, 9, 38), basis: 'EventTime' });
    expect(windowsEventTime(flatView({ TimeCreated: '2020-10-19 03:30:41.104' }))).toEqual({ ts: Date.UTC(2020, 9, 19, 3, 30, 41, 104), basis: 'TimeCreated' });
  });
  it('throws INVALID_FIELD without any usable time', () => {
    expect(() => normalise(raw({ EventID: 1, Channel: 'Security', TimeCreated: 'yesterday' }))).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });
});

describe('Windows common fields', () => {
  it('maps the same event the same way from flat JSON and from EVTX (EventID #text, Data arrays)', () => {
    const data = { Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: 'C:\\Windows\\explorer.exe', CommandLine: 'cmd /c whoami', User: 'CORP\\Alice', ProcessId: '4242', Hashes: 'SHA1=AA,MD5=BB,SHA256=CC,IMPHASH=DD', IntegrityLevel: 'High', UtcTime: '2024-01-02 03:04:05.678' };
    const flat = normalise(raw({ ...data, EventID: '1', Channel: 'microsoft-windows-sysmon/operational', Hostname: 'PC1.corp.local' }));
    const evtx = normalise(raw({
      Event: {
        System: { EventID: { '#text': '1', '#attributes': { Qualifiers: '' } }, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'PC1.corp.local', TimeCreated: { '#attributes': { SystemTime: '2024-01-02T03:04:06Z' } } },
        EventData: { Data: Object.entries(data).map(([Name, v]) => ({ '#attributes': { Name }, '#text': v })) },
      },
    }, 'windows_evtx'));
    const { fields: _f1, origin: _o1, ...a } = flat;
    const { fields: _f2, origin: _o2, ...b } = evtx;
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      ts: Date.UTC(2024, 0, 2, 3, 4, 5, 678), source: 'windows', dataset: 'sysmon', event_type: 'process_start', event_code: 1,
      host: 'pc1', host_fqdn: 'pc1.corp.local', user: 'alice', user_domain: 'CORP', process: 'cmd.exe', parent_process: 'explorer.exe',
      process_id: 4242, md5: 'bb', sha1: 'aa', sha256: 'cc', imphash: 'dd', integrity_level: 'High', stats: [], flags: [], src_geo: null,
    });
    expect(evtx.fields['System.Computer']).toBe('PC1.corp.local');
    expect(evtx.fields.Image).toBe(data.Image);
  });

  it('takes TargetUserName for logons and marks 4625 as failure', () => {
    const base = { Channel: 'security', Hostname: 'DC1', '@timestamp': '2020-01-01T00:00:00Z', SubjectUserName: 'DC1$', TargetUserName: 'Bob', TargetDomainName: 'CORP', LogonType: '3', IpAddress: '::ffff:10.1.2.3', IpPort: '50000', TargetLogonId: '0x51C3B8' };
    const ok = normalise(raw({ ...base, EventID: 4624, Keywords: -9214364837600034816 }));
    expect(ok).toMatchObject({ event_type: 'logon', user: 'bob', user_domain: 'CORP', logon_type: 3, src_ip: '10.1.2.3', src_port: 50000, logon_id: '0x51c3b8', outcome: 'success' });
    const bad = normalise(raw({ ...base, EventID: 4625 }));
    expect(bad).toMatchObject({ event_type: 'logon', user: 'bob', outcome: 'failure' });
    const tgs = normalise(raw({ ...base, EventID: 4769, TargetUserName: 'WORKSTATION5$@THESHIRE.LOCAL', Status: '0x0' }));
    expect(tgs).toMatchObject({ event_type: 'kerberos', user: 'workstation5$', user_domain: 'THESHIRE.LOCAL', outcome: 'success' });
  });

  it('reads Security 4688 process creation', () => {
    const e = normalise(raw({ EventID: 4688, Channel: 'Security', Hostname: 'WORKSTATION5', TimeCreated: '2020-10-22T02:57:59.856Z', NewProcessName: 'C:\\Windows\\System32\\mshta.exe', NewProcessId: '0x2ae4', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', ProcessId: '0x1700', SubjectUserName: 'wardog', SubjectDomainName: 'WORKSTATION5', TargetUserName: '-', MandatoryLabel: 'S-1-16-12288', CommandLine: 'mshta vbscript:x' }));
    expect(e).toMatchObject({ event_type: 'process_start', process: 'mshta.exe', process_id: 0x2ae4, parent_process: 'cmd.exe', parent_process_id: 0x1700, user: 'wardog', integrity_level: 'High', command_line: 'mshta vbscript:x' });
  });
});

describe('empire_mimikatz_logonpasswords: the access to lsass.exe', () => {
  it('names the accessing process, host and (from its network events) user', async () => {
    const { events } = await readAll([testdata('windows/empire_mimikatz_logonpasswords_2020-08-07103224.json.gz')]);
    const norm = events.map(normalise);
    const lsass = norm.filter((e) => e.event_type === 'process_access' && e.target_process_path?.toLowerCase().endsWith('\\lsass.exe'));
    expect(lsass).toHaveLength(4);
    const ps = lsass.filter((e) => e.process === 'powershell.exe');
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({
      origin_offset: 2451, host: 'workstation5', host_fqdn: 'workstation5.theshire.local', process_path: 'C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      process_id: 1648, target_process_path: 'C:\\windows\\system32\\lsass.exe', event_code: 10, dataset: 'sysmon', ts: Date.UTC(2020, 7, 7, 14, 32, 56, 540),
      // Sysmon 10 of this Sysmon version names no user; NXLog's AccountName is Sysmon's own SYSTEM
      user: null,
    });
    expect(ps[0]!.fields.GrantedAccess).toBe('0x1010');
    // the same process's Sysmon 3 connections do carry the user
    const net = norm.filter((e) => e.event_type === 'network_connection' && e.dataset === 'sysmon' && e.process_id === 1648 && e.host === 'workstation5');
    expect(net.length).toBeGreaterThan(0);
    expect(new Set(net.map((e) => `${e.user_domain}\\${e.user}`))).toEqual(new Set(['THESHIRE\\pgustavo']));
  });
});
