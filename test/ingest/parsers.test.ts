import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../ingest/parse-record.js';
import { parseAuditdText } from '../../ingest/parsers/auditd.js';
import { parseSyslogMessage } from '../../ingest/parsers/syslog.js';
import { applyZeekDirective, newZeekTsvHeader, parseZeekTsvLine, unescapeZeek, zeekLogTypeFromPath } from '../../ingest/parsers/zeek.js';

describe('Zeek TSV', () => {
  it('unescapes \\xHH and \\\\, converts by #types, leaves unset fields out', () => {
    const h = newZeekTsvHeader();
    for (const d of ['#separator \\x09', '#set_separator\t,', '#path\tdns', '#fields\tts\tquery\tanswers\tTTLs\tRD\trcode\tnote', '#types\ttime\tstring\tvector[string]\tvector[interval]\tbool\tcount\tstring']) {
      expect(applyZeekDirective(d, h)).toBe(true);
    }
    const rec = parseZeekTsvLine('1521911720.865716\ta\\x09b\\\\c\tx.org,1.2.3.4\t(empty)\tT\t-\t(empty)', h, null);
    expect(rec.log_type).toBe('dns');
    expect(rec.fields).toEqual({ ts: 1521911720.865716, query: 'a\tb\\c', answers: ['x.org', '1.2.3.4'], TTLs: [], RD: true, note: '' });
    expect(unescapeZeek('caf\\xc3\\xa9')).toBe('café');
  });

  it('takes the log type from the file name when there is no #path', () => {
    expect(zeekLogTypeFromPath('/x/NASHUA_smb_mapping.log.gz')).toBe('smb_mapping');
    expect(zeekLogTypeFromPath('conn.2020-05-01-00-00-00.log')).toBe('conn');
    expect(zeekLogTypeFromPath('dns.json.gz')).toBe('dns');
    expect(zeekLogTypeFromPath('/var/log/messages')).toBeNull();
  });
});

describe('auditd', () => {
  it('parses a SYSCALL line with node prefix, quoted values and enriched fields', () => {
    const f = parseAuditdText('node=web1 type=SYSCALL msg=audit(1652292620.123:456): arch=c000003e syscall=59 success=yes exit=0 a0=55d1 ppid=10 pid=11 auid=1000 uid=0 comm="id" exe="/usr/bin/id" key=(null)\x1dARCH=x86_64 SYSCALL=execve UID="root"');
    expect(f).toMatchObject({ node: 'web1', type: 'SYSCALL', audit_time: '1652292620.123', audit_serial: '456', syscall: '59', a0: '55d1', comm: 'id', exe: '/usr/bin/id', key: '(null)', SYSCALL: 'execve', UID: 'root' });
  });

  it('decodes hex proctitle and EXECVE arguments', () => {
    const title = Buffer.from('bash\0-c\0id', 'utf8').toString('hex').toUpperCase();
    expect(parseAuditdText(`type=PROCTITLE msg=audit(1.5:7): proctitle=${title}`).proctitle).toBe('bash -c id');
    const exe = parseAuditdText('type=EXECVE msg=audit(1.5:7): argc=3 a0="curl" a1=2D2D6F7574707574 a2="http://x"');
    expect(exe).toMatchObject({ a0: 'curl', a1: '--output', a2: 'http://x' });
  });

  it("parses USER_* records' nested msg='...'", () => {
    const f = parseAuditdText(`type=USER_LOGIN msg=audit(1652292620.5:9): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct="root" exe="/usr/sbin/sshd" hostname=10.0.0.5 addr=10.0.0.5 terminal=ssh res=failed'`);
    expect(f).toMatchObject({ op: 'login', acct: 'root', exe: '/usr/sbin/sshd', addr: '10.0.0.5', res: 'failed' });
  });

  it("keeps AUOMS's unquoted proctitle with spaces whole", () => {
    const f = parseAuditdText('type=AUOMS_EXECVE audit(1652292621.986:84138): pid=1 proctitle=/bin/java -Dx=y -Da.b redactors= containerid=');
    expect(f.proctitle).toBe('/bin/java -Dx=y -Da.b');
    expect(f.redactors).toBe('');
  });
});

describe('syslog', () => {
  const now = Date.UTC(2024, 0, 2);
  it('parses RFC 5424 with structured data', () => {
    const f = parseSyslogMessage('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appl\\"ication"][x@1 a="b"] An application event', { now });
    expect(f).toEqual({
      syslog_format: 'rfc5424', facility: 20, facility_name: 'local4', severity: 5, severity_name: 'notice', timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com', app_name: 'evntslog', msgid: 'ID47',
      structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Appl"ication' }, 'x@1': { a: 'b' } }, message: 'An application event',
    });
  });

  it('parses RFC 3164, resolving the year against now', () => {
    const f = parseSyslogMessage('<38>Dec 31 23:59:58 web1 sshd[4242]: Accepted password for bob from 10.0.0.5 port 5022 ssh2', { now });
    expect(f).toMatchObject({ facility: 4, severity: 6, timestamp: '2023-12-31T23:59:58.000Z', hostname: 'web1', app_name: 'sshd', procid: '4242', message: 'Accepted password for bob from 10.0.0.5 port 5022 ssh2' });
    expect(parseSyslogMessage('<13>Jan  1 00:00:01 host su: hello', { now }).timestamp).toBe('2024-01-01T00:00:01.000Z');
  });

  it('rejects a bad priority and a missing timestamp', () => {
    expect(() => parseSyslogMessage('<999>1 - - - - - -')).toThrow(/priority/);
    expect(() => parseSyslogMessage('<13>hello world')).toThrow(/timestamp/);
  });
});

describe('parseRecord (one buffer)', () => {
  it('returns an event, a dead letter, or null for a blank buffer', () => {
    const ok = parseRecord(Buffer.from('<34>1 2024-01-01T00:00:00Z h app 1 - - hi\n'), { origin: 'syslog-udp:514', origin_offset: 7 });
    expect(ok?.event).toMatchObject({ format: 'syslog', origin: 'syslog-udp:514', origin_offset: 7, host_hint: 'h' });
    const bad = parseRecord(Buffer.from([0xff, 0xfe]), { origin: 'o', origin_offset: 1 });
    expect(bad?.deadLetter).toMatchObject({ code: 'INVALID_UTF8', raw: Buffer.from([0xff, 0xfe]) });
    expect(parseRecord(Buffer.from('  \n'), { origin: 'o', origin_offset: 1 })).toBeNull();
    const big = parseRecord(Buffer.alloc(50, 0x61), { origin: 'o', origin_offset: 1, maxEventBytes: 10 });
    expect(big?.deadLetter?.code).toBe('OVERSIZED_EVENT');
  });

  it('routes an audit record inside syslog to auditd, and a multi-line JSON buffer whole', () => {
    const r = parseRecord(Buffer.from('<14>May 11 18:10:21 ubuntu5 audispd: type=EXECVE msg=audit(1652292621.986:1): argc=1 a0="id"'), { origin: 'o', origin_offset: 1, now: Date.UTC(2022, 5, 1) });
    expect(r?.event).toMatchObject({ format: 'auditd', log_type: 'EXECVE', host_hint: 'ubuntu5' });
    const j = parseRecord(Buffer.from('{\n "EventID": 1,\n "Channel": "Security"\n}'), { origin: 'o', origin_offset: 1 });
    expect(j?.event?.format).toBe('windows_flat');
  });

  it('honours a forced format', () => {
    const r = parseRecord(Buffer.from('{"ts": 1}'), { origin: 'o', origin_offset: 1, format: 'windows_flat' });
    expect(r?.deadLetter?.code).toBe('MALFORMED_RECORD');
  });
});
