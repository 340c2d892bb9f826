/**
 * Picks the parser for one record. JSON objects are told apart by their keys (one
 * JSON.parse, then a few `in` checks: no per-line regexes on the hot path); text lines by
 * their first bytes. A file-level hint (the Zeek log type its name suggests) lets Zeek
 * JSON without `_path` be recognised.
 */
import { NightjarError } from '../core/errors.js';
import type { RawFormat } from '../schema/types.js';
import { isAuditdSyslogJson, looksLikeAuditd, parseAuditdLine, parseAuditdSyslogJson, parseAuditdText } from './parsers/auditd.js';
import { isPlainObject, type ParsedRecord } from './parsers/parsed-record.js';
import { looksLikeSyslog, parseSyslogMessage, parseSyslogRecord } from './parsers/syslog.js';
import { isWindowsEvtx, parseWindowsEvtx } from './parsers/windows-evtx.js';
import { isWindowsFlat, parseWindowsFlat } from './parsers/windows-flat.js';
import { isZeekJson, parseZeekJson } from './parsers/zeek.js';
import { shortHostName } from './host-name.js';

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new NightjarError('MALFORMED_JSON', `not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

const KNOWN_SHAPES = 'Event.System (EVTX), Channel+EventID (Windows), SyslogMessage (syslog/auditd), ts+uid/_path (Zeek)';

/** A syslog JSON wrapper (OMS/Azure Monitor agents) whose message is not an audit record. */
function parseSyslogJsonWrapper(obj: Record<string, unknown>): ParsedRecord {
  const wrapper: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'SyslogMessage') wrapper[k] = v;
  const fields: Record<string, unknown> = {
    syslog_format: 'json',
    message: obj.SyslogMessage,
    hostname: obj.HostName ?? obj.Computer,
    app_name: obj.ProcessName,
    timestamp: obj.EventTime ?? obj.TimeGenerated,
    facility_name: obj.Facility,
    severity_name: obj.SeverityLevel,
    syslog: wrapper,
  };
  return { format: 'syslog', log_type: typeof obj.ProcessName === 'string' ? obj.ProcessName : null, fields, host_hint: shortHostName(fields.hostname) };
}

/** Classifies a parsed JSON value; `forced` restricts it to one format. */
export function parseJsonRecord(value: unknown, forced: RawFormat | null, fileLogType: string | null): ParsedRecord {
  if (!isPlainObject(value)) throw new NightjarError('MALFORMED_RECORD', `JSON record is ${Array.isArray(value) ? 'an array' : typeof value}, not an object`);
  const obj = value;
  switch (forced) {
    case 'windows_flat':
      if (!('EventID' in obj)) throw new NightjarError('MALFORMED_RECORD', 'Windows event without EventID');
      return parseWindowsFlat(obj);
    case 'windows_evtx':
      if (!isWindowsEvtx(obj)) throw new NightjarError('MALFORMED_RECORD', 'EVTX JSON without Event.System');
      return parseWindowsEvtx(obj);
    case 'zeek':
      return parseZeekJson(obj, fileLogType);
    case 'auditd':
      if (!isAuditdSyslogJson(obj)) throw new NightjarError('MALFORMED_RECORD', 'JSON without an audit record in SyslogMessage');
      return parseAuditdSyslogJson(obj);
    case 'syslog':
      if (typeof obj.SyslogMessage !== 'string') throw new NightjarError('MALFORMED_RECORD', 'JSON without SyslogMessage');
      return parseSyslogJsonWrapper(obj);
    default:
      break;
  }
  if (isWindowsEvtx(obj)) return parseWindowsEvtx(obj);
  if (isWindowsFlat(obj)) return parseWindowsFlat(obj);
  if (typeof obj.SyslogMessage === 'string') return isAuditdSyslogJson(obj) ? parseAuditdSyslogJson(obj) : parseSyslogJsonWrapper(obj);
  if (isZeekJson(obj, fileLogType)) return parseZeekJson(obj, fileLogType);
  throw new NightjarError('UNKNOWN_FORMAT', `JSON object matches no known shape (${KNOWN_SHAPES})`);
}

/** A syslog message, or the audit record a syslog message carries. */
function parseSyslogOrAudit(text: string, now: number | undefined): ParsedRecord {
  const rec = parseSyslogRecord(text, now);
  const msg = (rec.fields as { message: string }).message;
  if (!looksLikeAuditd(msg)) return rec;
  const fields = parseAuditdText(msg);
  const { message: _message, ...syslog } = rec.fields;
  fields.syslog = syslog;
  return { format: 'auditd', log_type: String(fields.type), fields, host_hint: shortHostName(fields.node) ?? rec.host_hint };
}

/** Classifies a non-JSON text line (Zeek TSV is handled by the caller, which holds the header). */
export function parseTextRecord(text: string, forced: RawFormat | null, now: number | undefined): ParsedRecord {
  if (forced === 'auditd') return parseAuditdLine(text);
  if (forced === 'syslog') return parseSyslogRecord(text, now);
  if (forced === 'windows_flat' || forced === 'windows_evtx') throw new NightjarError('MALFORMED_JSON', `a ${forced} record must be a JSON object`);
  if (forced === 'zeek') throw new NightjarError('MALFORMED_RECORD', 'Zeek TSV data line before any #fields header');
  if (looksLikeAuditd(text)) return parseAuditdLine(text);
  if (looksLikeSyslog(text)) return parseSyslogOrAudit(text, now);
  throw new NightjarError('UNKNOWN_FORMAT', 'line matches no known format (JSON, Zeek TSV, auditd type=, syslog)');
}

export { parseSyslogMessage };
