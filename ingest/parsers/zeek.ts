/**
 * Zeek logs, in both of Zeek's writers:
 *
 * TSV (the ASCII writer) starts with directives, then one tab-separated line per entry:
 *   #separator \x09
 *   #set_separator	,
 *   #empty_field	(empty)
 *   #unset_field	-
 *   #path	conn
 *   #fields	ts	uid	id.orig_h	...
 *   #types	time	string	addr	...
 * `-` is an unset field (omitted here), `(empty)` an empty set or vector, separators and
 * non-printable bytes inside values are escaped as `\xHH` and a backslash as `\\`.
 * Values are converted by their #types so TSV and JSON logs yield the same shapes:
 * time/interval/double/count/int/port become numbers, bool a boolean, set/vector arrays.
 *
 * JSON (the JSON writer, or shippers) is one object per line; the log type is `_path`,
 * `@stream` (some shippers, which also write `id_orig_h` for `id.orig_h`), or comes from
 * the file name.
 */
import { NightjarError } from '../../core/errors.js';
import { isPlainObject, type ParsedRecord } from './parsed-record.js';

type Convert = (v: string) => unknown;

export interface ZeekTsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string | null;
  fields: string[] | null;
  types: string[] | null;
  converters: Convert[] | null;
}

export function newZeekTsvHeader(): ZeekTsvHeader {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: null, fields: null, types: null, converters: null };
}

/** Decodes Zeek's `\xHH` and `\\` escapes; bytes are re-read as UTF-8. */
export function unescapeZeek(v: string): string {
  if (!v.includes('\\')) return v;
  const bytes: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x5c && v[i + 1] === 'x' && i + 3 < v.length && /^[0-9a-fA-F]{2}$/.test(v.slice(i + 2, i + 4))) {
      bytes.push(parseInt(v.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === 0x5c && v[i + 1] === '\\') {
      bytes.push(0x5c);
      i += 1;
    } else {
      const ch = v.codePointAt(i)!;
      if (ch > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(ch), 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function toNumber(v: string): number | string {
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  // counts beyond 2^53 would silently lose digits as numbers: keep the text
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return v;
  return n;
}

function scalarConverter(type: string): Convert {
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
    case 'count':
    case 'int':
    case 'port':
      return toNumber;
    case 'bool':
      return (v) => v === 'T';
    default:
      return unescapeZeek;
  }
}

function converterFor(type: string, h: ZeekTsvHeader): Convert {
  const m = /^(set|vector|table)\[(.+)\]$/.exec(type);
  if (!m) {
    const scalar = scalarConverter(type);
    return (v) => (v === h.emptyField && scalar === unescapeZeek ? '' : scalar(v));
  }
  const inner = scalarConverter(m[2]!);
  return (v) => (v === h.emptyField ? [] : v.split(h.setSeparator).map(inner));
}

/**
 * Applies a `#` directive line to the header. Returns false when the line is not a Zeek
 * directive (so the caller may treat it as something else).
 */
export function applyZeekDirective(line: string, h: ZeekTsvHeader): boolean {
  if (line.startsWith('#separator ')) {
    h.separator = unescapeZeek(line.slice('#separator '.length).trim());
    return true;
  }
  const tab = line.indexOf(h.separator);
  const name = tab < 0 ? line : line.slice(0, tab);
  const rest = tab < 0 ? '' : line.slice(tab + h.separator.length);
  switch (name) {
    case '#set_separator': h.setSeparator = unescapeZeek(rest); return true;
    case '#empty_field': h.emptyField = rest; return true;
    case '#unset_field': h.unsetField = rest; return true;
    case '#path': h.path = rest; return true;
    case '#open': case '#close': return true;
    case '#fields':
      h.fields = rest.split(h.separator);
      h.converters = null;
      return true;
    case '#types':
      h.types = rest.split(h.separator);
      h.converters = null;
      return true;
    default:
      return false;
  }
}

/** True once #fields is known: data lines can be read. */
export function zeekHeaderReady(h: ZeekTsvHeader | null): h is ZeekTsvHeader {
  return h !== null && h.fields !== null;
}

export function parseZeekTsvLine(line: string, h: ZeekTsvHeader, fileLogType: string | null): ParsedRecord {
  const names = h.fields;
  if (!names) throw new NightjarError('MALFORMED_RECORD', 'Zeek TSV data line before any #fields header');
  if (!h.converters) {
    const types = h.types;
    h.converters = names.map((_, i) => (types && types[i] ? converterFor(types[i]!, h) : unescapeZeek));
  }
  const values = line.split(h.separator);
  if (values.length !== names.length) {
    throw new NightjarError('MALFORMED_RECORD', `Zeek TSV line has ${values.length} columns, #fields names ${names.length}`);
  }
  const fields: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const v = values[i]!;
    if (v === h.unsetField) continue;
    fields[names[i]!] = h.converters[i]!(v);
  }
  const logType = h.path ?? fileLogType ?? 'unknown';
  return { format: 'zeek', log_type: logType, fields, host_hint: zeekHostHint(fields) };
}

/** Zeek JSON objects carry `ts` and usually a connection uid or a log path. */
export function isZeekJson(obj: Record<string, unknown>, fileLogType: string | null): boolean {
  if ('_path' in obj || '@stream' in obj) return 'ts' in obj || '_write_ts' in obj;
  if (!('ts' in obj)) return false;
  return 'uid' in obj || 'id.orig_h' in obj || 'id_orig_h' in obj || 'fuid' in obj || fileLogType !== null;
}

export function parseZeekJson(obj: Record<string, unknown>, fileLogType: string | null): ParsedRecord {
  const path = typeof obj._path === 'string' ? obj._path : typeof obj['@stream'] === 'string' ? obj['@stream'] : null;
  if (!('ts' in obj)) throw new NightjarError('MALFORMED_RECORD', 'Zeek JSON record without ts');
  return { format: 'zeek', log_type: path ?? fileLogType ?? 'unknown', fields: obj, host_hint: zeekHostHint(obj) };
}

/** Partition Zeek records by the originating address: one host's connections stay ordered. */
function zeekHostHint(f: Record<string, unknown>): string | null {
  const h = f['id.orig_h'] ?? f.id_orig_h ?? (isPlainObject(f.id) ? f.id.orig_h : undefined);
  return typeof h === 'string' ? h : null;
}

/** Zeek's own log names, to tell `NASHUA_smb_mapping.log.gz` is an smb_mapping log. */
const KNOWN_LOGS = [
  'conn', 'dns', 'http', 'ssl', 'x509', 'files', 'kerberos', 'ntlm', 'smb_mapping', 'smb_files', 'rdp', 'notice',
  'weird', 'dce_rpc', 'dpd', 'pe', 'ssh', 'software', 'syslog', 'analyzer', 'packet_filter', 'sip', 'smtp', 'ftp',
  'irc', 'mysql', 'radius', 'snmp', 'socks', 'tunnel', 'dhcp', 'ocsp', 'stats', 'capture_loss', 'loaded_scripts',
  'reporter', 'known_hosts', 'known_services', 'known_certs', 'modbus', 'dnp3', 'signatures', 'intel', 'traceroute',
  'ntp', 'quic', 'websocket', 'conn_long', 'weird_stats', 'notice_alarm', 'mqtt_connect', 'ldap', 'ldap_search',
];
const KNOWN_SET = new Set(KNOWN_LOGS);

/** The log type a file name suggests (`conn.log.gz` → conn), or null. */
export function zeekLogTypeFromPath(path: string): string | null {
  let base = path.replace(/\\/g, '/').split('/').pop() ?? '';
  base = base.replace(/\.gz$/i, '').replace(/\.(log|json|jsonl|ndjson)$/i, '');
  base = base.replace(/\.\d{4}-\d{2}-\d{2}[-_.:\d]*$/, '').replace(/\.\d{2}:\d{2}:\d{2}-\d{2}:\d{2}:\d{2}$/, '');
  if (KNOWN_SET.has(base)) return base;
  // a prefix such as a sensor name: NASHUA_smb_mapping → smb_mapping (longest match wins)
  let best: string | null = null;
  for (const name of KNOWN_LOGS) {
    if ((base.endsWith(`_${name}`) || base.endsWith(`-${name}`)) && (!best || name.length > best.length)) best = name;
  }
  return best;
}
