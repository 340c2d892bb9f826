/**
 * Linux audit records, from auditd's log or Microsoft's AUOMS agent:
 *
 *   type=SYSCALL msg=audit(1652292620.123:456): arch=c000003e syscall=59 success=yes exe="/usr/bin/id" ...
 *   node=web1 type=EXECVE msg=audit(1652292620.123:456): argc=2 a0="id" a1=2D61
 *   type=AUOMS_EXECVE audit(1652292621.986:84138): ... cmdline="/usr/bin/dpkg -S /bin/bash" ...
 *   type=USER_LOGIN msg=audit(...): pid=1 uid=0 msg='op=login acct="root" addr=10.0.0.5 res=failed'
 *
 * and the same carried in a syslog JSON wrapper (`SyslogMessage`, as Azure Monitor /
 * OMS agents forward them). Values are "quoted", or hex when they contain spaces or
 * control characters (proctitle, EXECVE arguments, paths): those are decoded here.
 * Enriched logs (log_format=ENRICHED) append upper-case translations after a 0x1d byte.
 */
import { NightjarError } from '../../core/errors.js';
import { shortHostName } from '../host-name.js';
import type { ParsedRecord } from './parsed-record.js';

/** Fields auditd writes as hex when the value holds spaces, quotes or control bytes. */
const UNTRUSTED_STRING_FIELDS = new Set(['proctitle', 'name', 'cwd', 'exe', 'comm', 'path', 'old', 'new', 'data', 'acct', 'cmd']);

function isHex(v: string): boolean {
  if (v.length === 0 || v.length % 2 !== 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function decodeHex(v: string): string {
  // arguments inside proctitle are NUL-separated
  return Buffer.from(v, 'hex').toString('utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
}

function isKeyStart(s: string, i: number): boolean {
  // `name=` where name is [A-Za-z_][A-Za-z0-9_-]*
  const c = s.charCodeAt(i);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  for (let j = i + 1; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d === 61) return true;
    if (!((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95 || d === 45)) return false;
  }
  return false;
}

/**
 * Splits `k=v k2="v 2" k3='inner=1 x=2'` into fields. An unquoted value runs to the next
 * `key=` token, so AUOMS's unquoted `proctitle=/bin/java -Dx=y ...` stays whole.
 */
export function parseAuditKeyValues(s: string, out: Record<string, unknown>, recordType: string): void {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 0x1d || c === 9) { i++; continue; }
    const eq = s.indexOf('=', i);
    const sp = s.indexOf(' ', i);
    if (eq < 0 || (sp >= 0 && sp < eq)) {
      // a bare word (e.g. "audit(...):" handled by the caller); skip it
      i = sp < 0 ? n : sp + 1;
      continue;
    }
    const key = s.slice(i, eq);
    i = eq + 1;
    const q = s[i];
    let value: string;
    if (q === '"') {
      const end = s.indexOf('"', i + 1);
      value = s.slice(i + 1, end < 0 ? n : end);
      i = end < 0 ? n : end + 1;
    } else if (q === "'") {
      const end = s.indexOf("'", i + 1);
      const inner = s.slice(i + 1, end < 0 ? n : end);
      i = end < 0 ? n : end + 1;
      parseAuditKeyValues(inner, out, recordType);
      continue;
    } else if (q === '[') {
      const end = s.indexOf(']', i);
      value = s.slice(i, end < 0 ? n : end + 1);
      i = end < 0 ? n : end + 1;
    } else {
      let end = i;
      for (;;) {
        let sp2 = end;
        while (sp2 < n && s.charCodeAt(sp2) !== 32 && s.charCodeAt(sp2) !== 0x1d) sp2++;
        end = sp2;
        let next = end;
        while (next < n && s.charCodeAt(next) === 32) next++;
        if (next >= n || s.charCodeAt(end) === 0x1d || isKeyStart(s, next)) break;
        end = next;
      }
      value = s.slice(i, end);
      i = end;
      const hexField = UNTRUSTED_STRING_FIELDS.has(key) || (recordType === 'EXECVE' && /^a\d+$/.test(key));
      if (hexField && isHex(value) && value !== '00') value = decodeHex(value);
    }
    out[key] = value;
  }
}

/** Parses one auditd line (`type=... msg=audit(epoch:serial): ...`). */
export function parseAuditdText(text: string): Record<string, unknown> {
  const stamp = text.indexOf('audit(');
  const close = stamp < 0 ? -1 : text.indexOf(')', stamp);
  if (stamp < 0 || close < 0) throw new NightjarError('MALFORMED_RECORD', 'auditd record without an audit(epoch:serial) stamp');
  const inside = text.slice(stamp + 6, close);
  const colon = inside.indexOf(':');
  const time = colon < 0 ? inside : inside.slice(0, colon);
  if (!/^\d+(\.\d+)?$/.test(time)) throw new NightjarError('MALFORMED_RECORD', `auditd stamp has no epoch time: audit(${inside})`);
  const fields: Record<string, unknown> = {};
  const prefix = text.slice(0, stamp).replace(/msg=$/, '');
  parseAuditKeyValues(prefix, fields, '');
  if (typeof fields.type !== 'string') throw new NightjarError('MALFORMED_RECORD', 'auditd record without type=');
  fields.audit_time = time;
  if (colon >= 0) fields.audit_serial = inside.slice(colon + 1);
  let rest = text.slice(close + 1);
  if (rest.startsWith(':')) rest = rest.slice(1);
  parseAuditKeyValues(rest, fields, fields.type);
  return fields;
}

export function looksLikeAuditd(text: string): boolean {
  return (text.startsWith('type=') || text.startsWith('node=')) && text.includes('audit(');
}

export function parseAuditdLine(text: string): ParsedRecord {
  const fields = parseAuditdText(text);
  return { format: 'auditd', log_type: String(fields.type), fields, host_hint: shortHostName(fields.node) };
}

/** A syslog JSON wrapper whose `SyslogMessage` is an audit record. */
export function isAuditdSyslogJson(obj: Record<string, unknown>): boolean {
  const m = obj.SyslogMessage;
  return typeof m === 'string' && m.includes('audit(') && /^\s*(node=\S+\s+)?type=/.test(m);
}

export function parseAuditdSyslogJson(obj: Record<string, unknown>): ParsedRecord {
  const fields = parseAuditdText(String(obj.SyslogMessage).trim());
  const wrapper: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    // the message is now parsed into fields; EventData repeats it
    if (k !== 'SyslogMessage' && k !== 'EventData') wrapper[k] = v;
  }
  fields.syslog = wrapper;
  const host = shortHostName(fields.node) ?? shortHostName(obj.HostName) ?? shortHostName(obj.Computer);
  return { format: 'auditd', log_type: String(fields.type), fields, host_hint: host };
}
