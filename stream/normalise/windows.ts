/**
 * Windows events (flat NXLog-style JSON and EVTX JSON alike, read through WindowsView)
 * to the common fields.
 *
 * Event time, deliberately (the agents disagree, see ../shared/testdata/README.md):
 *   1. `UtcTime`: Sysmon writes the event's own time in UTC;
 *   2. `@timestamp`: the collector's receive time, true UTC, seconds after the event;
 *   3. `System.TimeCreated.SystemTime`: EVTX's event time, UTC by definition;
 *   4. `EventTime`, then a flat `TimeCreated`: the agent's local time without a zone (or
 *      with a false `Z`); taken as UTC because nothing says which zone it was.
 * Where both exist, UtcTime wins over @timestamp because it is the event time itself.
 */
import { NightjarError } from '../../core/errors.js';
import type { NightjarEvent, RawEvent } from '../../schema/types.js';
import { shortHostName, looksLikeIp } from '../../ingest/host-name.js';
import { baseEvent, baseName, int, int32, ip, parseHashes, parseTimestamp, port, splitUser, str } from './common.js';
import { evtxView, flatView, type WindowsView } from './windows-view.js';
import { FAILURE_CODES, INTEGRITY_LEVELS, IP_PROTOCOLS, TARGET_USER_CODES, windowsDataset, windowsEventType } from './windows-types.js';

export type WindowsTimeBasis = 'UtcTime' | '@timestamp' | 'SystemTime' | 'EventTime' | 'TimeCreated';

/** The event time and which field it came from; null when no field is usable. */
export function windowsEventTime(view: WindowsView): { ts: number; basis: WindowsTimeBasis } | null {
  const d = view.data;
  let ts = parseTimestamp(d.UtcTime);
  if (ts !== null) return { ts, basis: 'UtcTime' };
  ts = parseTimestamp(d['@timestamp']);
  if (ts !== null) return { ts, basis: '@timestamp' };
  ts = parseTimestamp(view.systemTime);
  if (ts !== null) return { ts, basis: 'SystemTime' };
  ts = parseTimestamp(d.EventTime);
  if (ts !== null) return { ts, basis: 'EventTime' };
  ts = parseTimestamp(d.TimeCreated);
  if (ts !== null) return { ts, basis: 'TimeCreated' };
  return null;
}

const AUDIT_FAILURE_BIT = 0x10000000000000n;
const AUDIT_SUCCESS_BIT = 0x20000000000000n;

/** Audit success/failure from the Security keywords (a number, or a 0x string in EVTX). */
function keywordOutcome(k: unknown): 'success' | 'failure' | null {
  let bits: bigint;
  try {
    if (typeof k === 'number' && Number.isInteger(k)) bits = BigInt.asUintN(64, BigInt(k));
    else if (typeof k === 'string' && /^(0x[0-9a-f]+|-?\d+)$/i.test(k)) bits = BigInt.asUintN(64, BigInt(k));
    else return null;
  } catch {
    return null;
  }
  if (bits & AUDIT_FAILURE_BIT) return 'failure';
  if (bits & AUDIT_SUCCESS_BIT) return 'success';
  return null;
}

function outcome(view: WindowsView, dataset: string, code: number | null): string | null {
  const d = view.data;
  if (code !== null && FAILURE_CODES.has(code)) return 'failure';
  if ((code === 4776 || code === 4768 || code === 4769) && typeof d.Status === 'string') return /^0x0+$/i.test(d.Status) ? 'success' : 'failure';
  if (d.EventType === 'AUDIT_FAILURE') return 'failure';
  if (d.EventType === 'AUDIT_SUCCESS') return 'success';
  if (dataset !== 'security') return null;
  return keywordOutcome(view.keywords);
}

/** PowerShell's host application line: the command line that started the engine. */
function powershellCommandLine(d: Record<string, unknown>): string | null {
  const ctx = typeof d.ContextInfo === 'string' ? d.ContextInfo : null;
  if (ctx) {
    const m = /Host Application = ([^\r\n]*)/.exec(ctx);
    if (m && m[1]!.trim()) return m[1]!.trim();
  }
  const msg = typeof d.Message === 'string' ? d.Message : typeof d['Data.2'] === 'string' ? d['Data.2'] : null;
  if (msg) {
    const m = /HostApplication=([^\r\n]*)/.exec(msg);
    if (m && m[1]!.trim()) return m[1]!.trim();
  }
  return null;
}

/**
 * The acting account. NXLog's `AccountName`/`Domain` resolve the SID the event was logged
 * under; for Sysmon that is always Sysmon's own service account (SYSTEM), not the actor,
 * so Sysmon events without `User`/`SourceUser` keep user null rather than a wrong SYSTEM.
 */
function setUser(e: NightjarEvent, d: Record<string, unknown>, code: number | null, dataset: string): void {
  const candidates: [unknown, unknown][] = [];
  if (code !== null && dataset === 'security' && TARGET_USER_CODES.has(code)) candidates.push([d.TargetUserName, d.TargetDomainName]);
  candidates.push([d.User, undefined], [d.SourceUser, undefined], [d.SubjectUserName, d.SubjectDomainName]);
  if (dataset !== 'sysmon') candidates.push([d.AccountName, d.Domain], [d.UserName, d.DomainName]);
  for (const [name, domain] of candidates) {
    const u = splitUser(name, domain);
    if (u.user) {
      e.user = u.user;
      e.user_domain = u.domain;
      return;
    }
  }
}

export function normaliseWindows(raw: RawEvent): NightjarEvent {
  const view = raw.format === 'windows_evtx' ? evtxView(raw.fields) : flatView(raw.fields);
  const time = windowsEventTime(view);
  if (!time) throw new NightjarError('INVALID_FIELD', 'Windows event without a usable time (UtcTime, @timestamp, TimeCreated.SystemTime, EventTime, TimeCreated)');
  const code = view.eventId;
  const dataset = windowsDataset(view.channel);
  const eventType = windowsEventType(dataset, code);
  const e = baseEvent(raw, time.ts, 'windows', dataset, eventType, view.fields);
  const d = view.data;
  e.event_code = code !== null ? int32(code) : null;

  const computer = str(view.computer);
  if (computer) {
    e.host = shortHostName(computer);
    e.host_fqdn = computer.includes('.') && !looksLikeIp(computer) ? computer.toLowerCase() : null;
  }
  setUser(e, d, code, dataset);

  // the acting process
  const sysmonSourceTarget = dataset === 'sysmon' && (code === 8 || code === 10);
  if (code === 4688 && dataset === 'security') {
    e.process_path = str(d.NewProcessName);
    e.process_id = int(d.NewProcessId);
    e.parent_path = str(d.ParentProcessName);
    e.parent_process_id = int(d.ProcessId);
    const label = str(d.MandatoryLabel);
    e.integrity_level = label ? INTEGRITY_LEVELS[label] ?? label : null;
  } else if (sysmonSourceTarget) {
    e.process_path = str(d.SourceImage);
    e.process_id = int(d.SourceProcessId);
    e.target_process_path = str(d.TargetImage);
  } else {
    e.process_path = str(d.Image) ?? str(d.ProcessName) ?? str(d.Application);
    e.process_id = int(d.ProcessId) ?? int(d.ProcessID);
    e.parent_path = str(d.ParentImage);
    e.parent_process_id = int(d.ParentProcessId);
    e.integrity_level = str(d.IntegrityLevel);
  }
  e.process = baseName(e.process_path);
  e.parent_process = baseName(e.parent_path);
  e.command_line = str(d.CommandLine) ?? (dataset === 'powershell' ? powershellCommandLine(d) : null);
  e.parent_command_line = str(d.ParentCommandLine);
  const h = parseHashes(d.Hashes ?? d.Hash);
  e.md5 = h.md5;
  e.sha1 = h.sha1;
  e.sha256 = h.sha256;
  e.imphash = h.imphash;

  // logon
  e.logon_type = int32(d.LogonType);
  const targetFirst = code !== null && dataset === 'security' && TARGET_USER_CODES.has(code);
  // 4688 without a target account reports TargetLogonId 0x0: the subject's session is the one
  const targetLogon = targetFirst && !/^0x0+$/i.test(String(d.TargetLogonId)) ? str(d.TargetLogonId) : null;
  e.logon_id = (str(d.LogonId) ?? targetLogon ?? str(d.SubjectLogonId))?.toLowerCase() ?? null;

  // network
  e.src_ip = ip(d.SourceIp) ?? ip(d.SourceAddress) ?? ip(d.IpAddress);
  e.src_port = port(d.SourcePort) ?? port(d.IpPort);
  e.dst_ip = ip(d.DestinationIp) ?? ip(d.DestAddress);
  e.dst_port = port(d.DestinationPort) ?? port(d.DestPort);
  e.src_host = str(d.SourceHostname) ?? str(d.WorkstationName) ?? str(d.Workstation);
  e.dst_host = str(d.DestinationHostname);
  const proto = str(d.Protocol);
  e.protocol = proto ? IP_PROTOCOLS[proto] ?? proto.toLowerCase() : null;
  const query = str(d.QueryName);
  e.dns_query = query ? query.toLowerCase() : null;
  e.dns_answers = str(d.QueryResults);

  // objects acted upon
  const objectName = str(d.ObjectName);
  const objectType = str(d.ObjectType);
  e.registry_key = str(d.TargetObject) ?? (code === 4657 || objectType === 'Key' ? objectName : null);
  e.registry_value = str(d.Details) ?? str(d.NewValue) ?? str(d.NewName);
  e.file_path =
    str(d.TargetFilename) ?? str(d.ImageLoaded) ?? str(d.PipeName) ?? str(d.ServiceFileName) ?? str(d.ImagePath) ??
    (objectType === 'File' ? objectName : null) ??
    (str(d.RelativeTargetName) ? `${str(d.ShareName) ?? ''}\\${str(d.RelativeTargetName)}` : null);
  e.outcome = outcome(view, dataset, code);
  return e;
}
