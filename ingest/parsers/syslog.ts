/**
 * Syslog messages, RFC 5424 and RFC 3164 (BSD), with or without the `<PRI>` prefix (files
 * written by rsyslog drop it):
 *
 *   <34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 [exampleSDID@32473 iut="3"] BOMmsg
 *   <13>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8
 *   2022-05-11T18:10:21.123456+00:00 web1 sshd[42]: Accepted password for bob from 10.0.0.5 port 5022 ssh2
 *
 * `parseSyslogMessage` parses one message buffer; the UDP/TCP listeners call it per
 * datagram or frame. RFC 3164 timestamps carry neither year nor zone: the year is the one
 * that puts the time closest before `now` (a message from Dec 31 read on Jan 1 belongs
 * to last year), and the time is taken as UTC, like Windows' zone-less EventTime.
 */
import { NightjarError } from '../../core/errors.js';
import { shortHostName } from '../host-name.js';
import type { ParsedRecord } from './parsed-record.js';

const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp',
  'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

export interface SyslogFields {
  syslog_format: 'rfc5424' | 'rfc3164';
  facility?: number;
  facility_name?: string;
  severity?: number;
  severity_name?: string;
  /** ISO 8601; for RFC 3164 the resolved year and UTC. */
  timestamp?: string;
  hostname?: string;
  app_name?: string;
  procid?: string;
  msgid?: string;
  structured_data?: Record<string, Record<string, string>>;
  message: string;
}

const NIL = '-';

function nextToken(s: string, i: number): [string, number] {
  const sp = s.indexOf(' ', i);
  return sp < 0 ? [s.slice(i), s.length] : [s.slice(i, sp), sp + 1];
}

/** `[id k="v"][id2 ...]` with \" \\ \] escapes inside values. */
function parseStructuredData(s: string, i: number): [Record<string, Record<string, string>>, number] {
  const sd: Record<string, Record<string, string>> = {};
  while (s[i] === '[') {
    i++;
    const idEnd = s.slice(i).search(/[ \]]/);
    if (idEnd < 0) throw new NightjarError('MALFORMED_RECORD', 'syslog structured data is not closed');
    const id = s.slice(i, i + idEnd);
    i += idEnd;
    const params: Record<string, string> = {};
    while (s[i] === ' ') {
      i++;
      const eq = s.indexOf('="', i);
      if (eq < 0) throw new NightjarError('MALFORMED_RECORD', `syslog structured data [${id}] has a parameter without ="value"`);
      const name = s.slice(i, eq);
      i = eq + 2;
      let value = '';
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\]'.includes(s[i + 1]!)) i++;
        value += s[i];
        i++;
      }
      if (s[i] !== '"') throw new NightjarError('MALFORMED_RECORD', `syslog structured data [${id}] has an unterminated value`);
      i++;
      params[name] = value;
    }
    if (s[i] !== ']') throw new NightjarError('MALFORMED_RECORD', `syslog structured data [${id}] is not closed`);
    i++;
    sd[id] = params;
  }
  return [sd, i];
}

function resolveBsdTime(mon: number, day: number, h: number, m: number, sec: number, now: number): string {
  const nowYear = new Date(now).getUTCFullYear();
  let t = Date.UTC(nowYear, mon, day, h, m, sec);
  // more than a day in the future: it was last year's
  if (t > now + 86_400_000) t = Date.UTC(nowYear - 1, mon, day, h, m, sec);
  return new Date(t).toISOString();
}

const BSD_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?) /;

/** True when a line without `<PRI>` still starts like a syslog message. */
export function looksLikeSyslog(text: string): boolean {
  if (text.charCodeAt(0) === 60) return /^<\d{1,3}>/.test(text);
  const m = BSD_TIME.exec(text);
  if (m) return m[1]! in MONTHS;
  return ISO_TIME.test(text);
}

export function parseSyslogMessage(input: Buffer | string, opts: { now?: number } = {}): SyslogFields {
  let s = typeof input === 'string' ? input : input.toString('utf8');
  s = s.replace(/[\r\n\0]+$/, '');
  const now = opts.now ?? Date.now();
  const out: SyslogFields = { syslog_format: 'rfc3164', message: '' };
  let i = 0;
  if (s[0] === '<') {
    const close = s.indexOf('>');
    const pri = close > 1 && close <= 4 ? Number(s.slice(1, close)) : NaN;
    if (!Number.isInteger(pri) || pri < 0 || pri > 191) throw new NightjarError('MALFORMED_RECORD', 'syslog priority is not <0..191>');
    out.facility = pri >> 3;
    out.severity = pri & 7;
    out.facility_name = FACILITIES[out.facility];
    out.severity_name = SEVERITIES[out.severity];
    i = close + 1;
  }
  if (s.startsWith('1 ', i)) {
    // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]
    out.syslog_format = 'rfc5424';
    i += 2;
    const tokens: string[] = [];
    for (let k = 0; k < 5; k++) {
      const [tok, next] = nextToken(s, i);
      if (tok === '' && next >= s.length && k < 5) throw new NightjarError('MALFORMED_RECORD', 'RFC 5424 header is incomplete');
      tokens.push(tok);
      i = next;
    }
    const [ts, host, app, procid, msgid] = tokens as [string, string, string, string, string];
    if (ts !== NIL) {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(ts)) {
        throw new NightjarError('MALFORMED_RECORD', `RFC 5424 timestamp is not RFC 3339: ${ts.slice(0, 40)}`);
      }
      out.timestamp = ts;
    }
    if (host !== NIL) out.hostname = host;
    if (app !== NIL) out.app_name = app;
    if (procid !== NIL) out.procid = procid;
    if (msgid !== NIL) out.msgid = msgid;
    if (s[i] === '[') {
      const [sd, next] = parseStructuredData(s, i);
      out.structured_data = sd;
      i = next;
    } else if (s[i] === '-') {
      i++;
    } else if (i < s.length) {
      throw new NightjarError('MALFORMED_RECORD', 'RFC 5424 structured data is neither [..] nor -');
    }
    if (s[i] === ' ') i++;
    let msg = s.slice(i);
    if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
    out.message = msg;
    return out;
  }
  // RFC 3164: TIMESTAMP HOSTNAME TAG[PID]: MSG (ISO timestamps as rsyslog writes them too)
  const rest = s.slice(i);
  const bsd = BSD_TIME.exec(rest);
  const iso = bsd ? null : ISO_TIME.exec(rest);
  if (bsd && bsd[1]! in MONTHS) {
    out.timestamp = resolveBsdTime(MONTHS[bsd[1]!]!, Number(bsd[2]), Number(bsd[3]), Number(bsd[4]), Number(bsd[5]), now);
    i += bsd[0].length;
  } else if (iso) {
    out.timestamp = iso[1]!;
    i += iso[0].length;
  } else {
    throw new NightjarError('MALFORMED_RECORD', 'syslog message has no RFC 3164 or RFC 3339 timestamp');
  }
  // the host is the next word unless that word is already the tag ("su:" / "su[12]:")
  const [word, afterWord] = nextToken(s, i);
  if (!/^[^\s\[:]+(\[[^\]]*\])?:$/.test(word)) {
    out.hostname = word;
    i = afterWord;
  }
  const tag = /^([^\s\[:]+)(?:\[([^\]]*)\])?: ?/.exec(s.slice(i));
  if (tag) {
    out.app_name = tag[1];
    if (tag[2] !== undefined) out.procid = tag[2];
    i += tag[0].length;
  }
  out.message = s.slice(i);
  return out;
}

export function parseSyslogRecord(text: string, now?: number): ParsedRecord {
  const fields = parseSyslogMessage(text, { now });
  return {
    format: 'syslog',
    log_type: fields.app_name ?? null,
    fields: fields as unknown as Record<string, unknown>,
    host_hint: shortHostName(fields.hostname),
  };
}
