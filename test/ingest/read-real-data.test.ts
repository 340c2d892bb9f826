import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testdata } from '../testdata.js';
import { readAll } from './helpers.js';

// expected counts: `zcat FILE | grep -c .` (Windows) and `zcat FILE | grep -vc '^#'` (Zeek TSV)
const WINDOWS_COUNTS: Record<string, number> = {
  'cmd_mshta_vbscript_execute_psh_2020-10-2202580804.json.gz': 1127,
  'cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json.gz': 286,
  'empire_launcher_vbs_2020-09-04160940.json.gz': 2067,
  'empire_mimikatz_logonpasswords_2020-08-07103224.json.gz': 6026,
  'empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.json.gz': 40569,
  'empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.gz': 4348,
  'metasploit_logonpasswords_lsass_memory_dump.json.gz': 53698,
  'psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json.gz': 184,
  'schtask_create_2020-12-1907003032.json.gz': 1041,
};

describe('readInputs on the shared Windows files', () => {
  it('reads every event of every file as windows_flat, skipping LICENSE and the metadata YAML', async () => {
    const skipped: string[] = [];
    const { events, deadLetters, batches } = await readAll([testdata('windows')], { batchSize: 5000, onSkipped: (p) => skipped.push(basename(p)) });
    expect(deadLetters).toEqual([]);
    const perFile = new Map<string, number>();
    for (const e of events) perFile.set(basename(e.origin), (perFile.get(basename(e.origin)) ?? 0) + 1);
    expect(Object.fromEntries(perFile)).toEqual(WINDOWS_COUNTS);
    expect(events.length).toBe(109_346);
    expect(new Set(events.map((e) => e.format))).toEqual(new Set(['windows_flat']));
    expect(skipped.sort()).toEqual(['LICENSE', 'LSASS_campaign_01.metadata.yaml']);
    // batches are at most batchSize records
    expect(batches).toBeGreaterThanOrEqual(Math.ceil(109_346 / 5000));
  });

  it('numbers records by physical line and skips the empty line 547 of schtask_create', async () => {
    const { events } = await readAll([testdata('windows/schtask_create_2020-12-1907003032.json.gz')]);
    const offsets = events.map((e) => e.origin_offset);
    expect(offsets).not.toContain(547);
    expect(offsets).toContain(546);
    expect(offsets).toContain(548);
    expect(offsets[offsets.length - 1]).toBe(1042);
    const first = events[0]!;
    // raw holds the original line: it parses to the same object
    expect(JSON.parse(first.raw.toString('utf8'))).toEqual(first.fields);
    expect(first.host_hint).toBe(String(first.fields.Hostname).split('.')[0]!.toLowerCase());
  });
});

describe('readInputs on Zeek, Linux and EVTX samples', () => {
  it('reads Zeek TSV and JSON with their log types', async () => {
    const files = ['zeek/lsass_campaign_01/conn.log.gz', 'zeek/brim/ssl.log.gz', 'zeek/brim/rdp.log.gz', 'zeek/brim-json/dns.json.gz', 'zeek/apt29_day1/NASHUA_conn.log.gz', 'zeek/apt29_day1/SCRANTON_http.log.gz'];
    const { events, deadLetters } = await readAll(files.map((f) => testdata(f)));
    expect(deadLetters).toEqual([]);
    const count = (file: string, type: string): number => events.filter((e) => e.origin.endsWith(file) && e.log_type === type).length;
    expect(count('lsass_campaign_01/conn.log.gz', 'conn')).toBe(112);
    expect(count('brim/ssl.log.gz', 'ssl')).toBe(49_474);
    expect(count('brim/rdp.log.gz', 'rdp')).toBe(4_122);
    expect(count('brim-json/dns.json.gz', 'dns')).toBe(53_615);
    expect(count('NASHUA_conn.log.gz', 'conn')).toBe(479);
    expect(count('SCRANTON_http.log.gz', 'http')).toBe(62);
    const conn = events.find((e) => e.origin.endsWith('lsass_campaign_01/conn.log.gz'))!;
    // TSV values converted by #types, '-' left out
    expect(conn.fields).toMatchObject({ ts: 1692161622.036086, 'id.orig_h': '192.168.1.41', 'id.resp_p': 53, proto: 'udp', local_orig: true });
    expect('duration' in conn.fields).toBe(false);
    expect(conn.origin_offset).toBe(9); // after 8 header lines
  });

  it('reads the AUOMS records in syslog JSON as auditd', async () => {
    const { events, deadLetters } = await readAll([testdata('linux')]);
    expect(deadLetters).toEqual([]);
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => e.format))).toEqual(new Set(['auditd']));
    expect(events[0]!.fields).toMatchObject({ type: 'AUOMS_EXECVE', audit_time: '1652292621.986', audit_serial: '84138', exe: '/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java', user: 'tomcat' });
    expect(events[0]!.host_hint).toBe('ubuntu5');
  });

  it('reads multi-line and concatenated EVTX JSON documents whole', async () => {
    const { events, deadLetters } = await readAll([testdata('sigma/regression_data')]);
    expect(deadLetters).toEqual([]);
    // 137 .json files, 7 of them hold several documents: 158 in all (the info.yml files are skipped)
    expect(events).toHaveLength(158);
    expect(new Set(events.map((e) => e.format))).toEqual(new Set(['windows_evtx']));
    const multi = events.filter((e) => e.origin.endsWith('8fbf3271-1ef6-4e94-8210-03c2317947f6.json'));
    expect(multi).toHaveLength(6);
    expect(multi[0]!.origin_offset).toBe(1);
    expect(new Set(multi.map((e) => e.origin_offset)).size).toBe(6);
    for (const e of multi) expect(JSON.parse(e.raw.toString('utf8'))).toEqual(e.fields);
  });
});
