import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../ingest/parse-record.js';
import { normalise } from '../../stream/normalise/index.js';
import type { RawEvent } from '../../schema/types.js';
import { firstEvents, readAll } from '../ingest/helpers.js';
import { testdata } from '../testdata.js';

function zeek(logType: string, fields: Record<string, unknown>): RawEvent {
  return { format: 'zeek', log_type: logType, fields, origin: 't', origin_offset: 1, host_hint: null, raw: Buffer.alloc(0) };
}

describe('Zeek', () => {
  it('maps conn with ms time, addresses and outcome from conn_state', () => {
    const e = normalise(zeek('conn', { ts: 1692161643.549491, uid: 'CX', 'id.orig_h': '192.168.1.41', 'id.orig_p': 55213, 'id.resp_h': '10.0.5.13', 'id.resp_p': 80, proto: 'tcp', conn_state: 'REJ', tunnel_parents: [] }));
    expect(e).toMatchObject({ ts: 1692161643549, source: 'zeek', dataset: 'zeek.conn', event_type: 'network_connection', src_ip: '192.168.1.41', src_port: 55213, dst_ip: '10.0.5.13', dst_port: 80, protocol: 'tcp', outcome: 'failure', host: null });
    expect(e.fields).toEqual({ ts: '1692161643.549491', uid: 'CX', 'id.orig_h': '192.168.1.41', 'id.orig_p': '55213', 'id.resp_h': '10.0.5.13', 'id.resp_p': '80', proto: 'tcp', conn_state: 'REJ' });
  });

  it('reads TSV and JSON of the same dns entry to the same common fields', async () => {
    const tsv = (await firstEvents(testdata('zeek/brim/dns.log.gz'), 1))[0]!;
    const json = (await firstEvents(testdata('zeek/brim-json/dns.json.gz'), 1))[0]!;
    const a = normalise(tsv);
    const b = normalise(json);
    expect(a).toMatchObject({ event_type: 'dns_query', dns_query: 'ise.wrccdc.org', dns_answers: 'ise.wrccdc.cpp.edu,134.71.3.16', src_ip: '10.47.1.100', dst_port: 53, ts: 1521911720865 });
    const pick = (e: typeof a) => [e.ts, e.dns_query, e.dns_answers, e.src_ip, e.src_port, e.dst_ip, e.dst_port, e.protocol];
    expect(pick(b)).toEqual(pick(a));
  });

  it('understands the shipper variant (@stream, id_orig_h) and kerberos/ntlm users', async () => {
    const http = (await readAll([testdata('zeek/apt29_day1/SCRANTON_http.log.gz')])).events.map(normalise)[0]!;
    expect(http).toMatchObject({ dataset: 'zeek.http', event_type: 'http_request', src_ip: '10.0.1.4', dst_ip: '192.168.0.4', dst_port: 80, url: 'http://192.168.0.4/' });
    const krb = normalise(zeek('kerberos', { ts: '2018-03-24T17:18:05.713879Z', client: 'alice/CORP.LOCAL', success: true }));
    expect(krb).toMatchObject({ ts: Date.UTC(2018, 2, 24, 17, 18, 5, 713), user: 'alice', user_domain: 'CORP.LOCAL', outcome: 'success' });
    expect(normalise(zeek('kerberos', { ts: 1, client: '/NM' })).user).toBeNull();
    expect(normalise(zeek('ntlm', { ts: 1, username: 'Bob', domainname: 'CORP', hostname: 'PC9', success: false })).outcome).toBe('failure');
  });

  it('passes unknown log types through and rejects a record without ts', () => {
    expect(normalise(zeek('software', { ts: 5, name: 'x' }))).toMatchObject({ dataset: 'zeek.software', event_type: 'other', fields: { ts: '5', name: 'x' } });
    expect(() => normalise(zeek('conn', { uid: 'C1' }))).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });
});

describe('auditd', () => {
  it('maps the AUOMS execve records of the Log4Shell capture', async () => {
    const events = (await readAll([testdata('linux')])).events.map(normalise);
    expect(events).toHaveLength(50);
    const dpkg = events.find((e) => e.command_line === '/usr/bin/dpkg -S /bin/bash' && e.outcome === 'success')!;
    expect(dpkg).toMatchObject({ source: 'linux', dataset: 'auditd', event_type: 'execve', host: 'ubuntu5', user: 'nobody', process: 'dpkg', process_path: '/usr/bin/dpkg', process_id: 17809, parent_process_id: 2813, outcome: 'success', ts: 1652292622142 });
    expect(events.filter((e) => e.outcome === 'failure').length).toBeGreaterThan(0);
    expect(dpkg.fields['syslog.Computer']).toBe('UBUNTU5');
  });

  it('maps a plain EXECVE line and a failed USER_LOGIN', () => {
    const exec = parseRecord(Buffer.from('type=EXECVE msg=audit(1652292620.123:456): argc=3 a0="curl" a1="-o" a2=2F746D702F78'), { origin: 'o', origin_offset: 1 })!.event!;
    expect(normalise(exec)).toMatchObject({ event_type: 'execve', command_line: 'curl -o /tmp/x', process: 'curl', ts: 1652292620123 });
    const login = parseRecord(Buffer.from(`node=srv1.corp type=USER_LOGIN msg=audit(1652292620.5:9): pid=1 uid=0 msg='op=login acct="root" exe="/usr/sbin/sshd" hostname=? addr=10.0.0.5 terminal=ssh res=failed'`), { origin: 'o', origin_offset: 1 })!.event!;
    expect(normalise(login)).toMatchObject({ event_type: 'logon', user: 'root', src_ip: '10.0.0.5', outcome: 'failure', host: 'srv1', host_fqdn: 'srv1.corp', process: 'sshd' });
  });
});

describe('syslog', () => {
  it('maps an sshd failure to a failed logon', () => {
    const r = parseRecord(Buffer.from('<38>1 2024-03-01T10:00:00.5+01:00 web1.corp sshd 4242 - - Failed password for invalid user admin from 10.0.0.9 port 40000 ssh2'), { origin: 'o', origin_offset: 1 })!.event!;
    expect(normalise(r)).toMatchObject({ ts: Date.UTC(2024, 2, 1, 9, 0, 0, 500), source: 'syslog', event_type: 'logon', outcome: 'failure', user: 'admin', src_ip: '10.0.0.9', src_port: 40000, host: 'web1', process: 'sshd', process_id: 4242 });
  });
  it('keeps other messages as other with their fields', () => {
    const r = parseRecord(Buffer.from('<13>Jan  5 01:02:03 host1 cron[7]: job done'), { origin: 'o', origin_offset: 1, now: Date.UTC(2024, 0, 10) })!.event!;
    const e = normalise(r);
    expect(e).toMatchObject({ event_type: 'other', host: 'host1', ts: Date.UTC(2024, 0, 5, 1, 2, 3), fields: { message: 'job done', app_name: 'cron', facility_name: 'user' } });
  });
});
