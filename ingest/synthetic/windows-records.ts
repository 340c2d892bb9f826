/**
 * Windows event records in the flat shape an NXLog agent (im_msvistalog) forwards
 * through a collector, the shape of testdata/windows/empire_*.json.gz:
 *
 *   {"EventTime":"2020-08-07 10:32:45", "Hostname":"WORKSTATION5.theshire.local",
 *    "Channel":"Microsoft-Windows-Sysmon/Operational", "EventID":1, "UtcTime":"2020-08-07 14:32:45.881",
 *    "Image":"C:\\Windows\\System32\\whoami.exe", "Hashes":"SHA1=…,MD5=…,SHA256=…,IMPHASH=…", …,
 *    "@timestamp":"2020-08-07T14:32:47.591Z", "Keywords":-9223372036854775808}
 *
 * EventTime/EventReceivedTime are the agent's local time without a zone, UtcTime is
 * Sysmon's own UTC time with milliseconds, @timestamp is the collector's UTC time.
 * The free-text `Message` rendering is left out: it repeats the fields and would double
 * the size of every line without giving a parser anything new.
 */

/** One Windows host's agent: numbering and clocks. */
export interface WinHost {
  readonly fqdn: string;
  readonly utcOffsetMs: number;
  /** Per-channel record numbers, as the event log keeps them. */
  readonly records: Map<string, number>;
  readonly sysmonPid: number;
  readonly lsassPid: number;
}

/** A process as Sysmon describes it. */
export interface ProcRef {
  readonly path: string;
  readonly pid: number;
  readonly guid: string;
  readonly commandLine: string;
  /** DOMAIN\\account of the token. */
  readonly user: string;
}

export interface ProcCreate extends ProcRef {
  readonly fileVersion: string;
  readonly description: string;
  readonly product: string;
  readonly company: string;
  readonly originalFileName: string;
  readonly currentDirectory: string;
  readonly logonGuid: string;
  readonly logonId: string;
  readonly sessionId: string;
  readonly integrityLevel: string;
  readonly hashes: string;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const SYSMON_GUID = '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}';
const SECURITY_GUID = '{54849625-5478-4994-A5BA-3E3B0328C30D}';
const SCM_GUID = '{555908D1-A6D7-4695-8E1E-26931D2012F4}';
// These keyword masks exceed 2^53: JSON.stringify would round them, so they are
// appended as literals, exactly as the agent writes them.
const KW_SYSMON = '-9223372036854775808';
const KW_AUDIT_SUCCESS = '-9214364837600034816';
const KW_AUDIT_FAILURE = '-9218868437227405312';
const KW_SCM = '-9187343239835811840';

export const COLLECTOR = 'wec.corp.example.com';

function localText(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

function utcText(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 23)}`;
}

function nextRecord(h: WinHost, channel: string): number {
  const n = (h.records.get(channel) ?? 1000) + 1;
  h.records.set(channel, n);
  return n;
}

/** Fields every forwarded record carries; `delayMs` is the collector's lag. */
function envelope(h: WinHost, ms: number, delayMs: number, channel: string, eventId: number, r: Record<string, unknown>): void {
  r['EventTime'] = localText(ms + h.utcOffsetMs);
  r['Hostname'] = h.fqdn;
  r['Channel'] = channel;
  r['EventID'] = eventId;
  r['RecordNumber'] = nextRecord(h, channel);
  r['EventReceivedTime'] = localText(ms + delayMs + h.utcOffsetMs);
  r['SourceModuleName'] = 'eventlog';
  r['SourceModuleType'] = 'im_msvistalog';
  r['Severity'] = 'INFO';
  r['SeverityValue'] = 2;
  r['OpcodeValue'] = 0;
  r['@timestamp'] = new Date(ms + delayMs).toISOString();
  r['@version'] = '1';
  r['host'] = COLLECTOR;
  r['port'] = 60122;
}

function finish(r: Record<string, unknown>, keywords: string): string {
  const json = JSON.stringify(r);
  return `${json.slice(0, -1)},"Keywords":${keywords}}`;
}

function sysmonBase(h: WinHost, ms: number, delayMs: number, eventId: number, version: number, p: ProcRef): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  envelope(h, ms, delayMs, SYSMON, eventId, r);
  r['SourceName'] = 'Microsoft-Windows-Sysmon';
  r['ProviderGuid'] = SYSMON_GUID;
  r['Task'] = eventId;
  r['Version'] = version;
  r['EventType'] = 'INFO';
  r['ExecutionProcessID'] = h.sysmonPid;
  r['ThreadID'] = h.sysmonPid + 1088;
  r['AccountName'] = 'SYSTEM';
  r['AccountType'] = 'User';
  r['Domain'] = 'NT AUTHORITY';
  r['UserID'] = 'S-1-5-18';
  r['RuleName'] = '-';
  r['UtcTime'] = utcText(ms);
  r['ProcessGuid'] = p.guid;
  r['ProcessId'] = String(p.pid);
  r['Image'] = p.path;
  return r;
}

/** Sysmon 1: process creation. */
export function sysmonProcessCreate(h: WinHost, ms: number, delayMs: number, p: ProcCreate, parent: ProcRef): string {
  const r = sysmonBase(h, ms, delayMs, 1, 5, p);
  r['FileVersion'] = p.fileVersion;
  r['Description'] = p.description;
  r['Product'] = p.product;
  r['Company'] = p.company;
  r['OriginalFileName'] = p.originalFileName;
  r['CommandLine'] = p.commandLine;
  r['CurrentDirectory'] = p.currentDirectory;
  r['User'] = p.user;
  r['LogonGuid'] = p.logonGuid;
  r['LogonId'] = p.logonId;
  r['TerminalSessionId'] = p.sessionId;
  r['IntegrityLevel'] = p.integrityLevel;
  r['Hashes'] = p.hashes;
  r['ParentProcessGuid'] = parent.guid;
  r['ParentProcessId'] = String(parent.pid);
  r['ParentImage'] = parent.path;
  r['ParentCommandLine'] = parent.commandLine;
  return finish(r, KW_SYSMON);
}

export interface NetConn {
  readonly proto: 'tcp' | 'udp';
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  readonly dstHostname?: string;
  readonly dstPortName?: string;
}

/** Sysmon 3: an outbound connection the process initiated. */
export function sysmonNetwork(h: WinHost, ms: number, delayMs: number, p: ProcRef, c: NetConn): string {
  const r = sysmonBase(h, ms, delayMs, 3, 5, p);
  r['User'] = p.user;
  r['Protocol'] = c.proto;
  r['Initiated'] = 'true';
  r['SourceIsIpv6'] = 'false';
  r['SourceIp'] = c.srcIp;
  r['SourceHostname'] = h.fqdn;
  r['SourcePort'] = String(c.srcPort);
  r['SourcePortName'] = '-';
  r['DestinationIsIpv6'] = 'false';
  r['DestinationIp'] = c.dstIp;
  r['DestinationHostname'] = c.dstHostname ?? '-';
  r['DestinationPort'] = String(c.dstPort);
  r['DestinationPortName'] = c.dstPortName ?? '-';
  return finish(r, KW_SYSMON);
}

/** Sysmon 11: file created. */
export function sysmonFileCreate(h: WinHost, ms: number, delayMs: number, p: ProcRef, target: string): string {
  const r = sysmonBase(h, ms, delayMs, 11, 2, p);
  r['TargetFilename'] = target;
  r['CreationUtcTime'] = utcText(ms);
  return finish(r, KW_SYSMON);
}

/** Sysmon 12 (CreateKey/DeleteKey) and 13 (SetValue). NXLog keeps the original EventType aside. */
export function sysmonRegistry(h: WinHost, ms: number, delayMs: number, p: ProcRef, kind: 'CreateKey' | 'DeleteKey' | 'SetValue', target: string, details?: string): string {
  const id = kind === 'SetValue' ? 13 : 12;
  const r = sysmonBase(h, ms, delayMs, id, 2, p);
  r['EventType'] = kind;
  r['EventTypeOrignal'] = 'INFO';
  r['TargetObject'] = target;
  if (kind === 'SetValue') r['Details'] = details ?? '-';
  return finish(r, KW_SYSMON);
}

/** Sysmon 22: DNS query. `results` in Sysmon's own notation ("type:  5 x;::ffff:1.2.3.4;"). */
export function sysmonDns(h: WinHost, ms: number, delayMs: number, p: ProcRef, query: string, status: string, results: string): string {
  const r = sysmonBase(h, ms, delayMs, 22, 5, p);
  r['QueryName'] = query;
  r['QueryStatus'] = status;
  r['QueryResults'] = results;
  return finish(r, KW_SYSMON);
}

function securityBase(h: WinHost, ms: number, delayMs: number, eventId: number, task: number, category: string, success: boolean, version: number): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  envelope(h, ms, delayMs, 'Security', eventId, r);
  r['SourceName'] = 'Microsoft-Windows-Security-Auditing';
  r['ProviderGuid'] = SECURITY_GUID;
  r['Task'] = task;
  r['Version'] = version;
  r['Category'] = category;
  r['Opcode'] = 'Info';
  r['EventType'] = success ? 'AUDIT_SUCCESS' : 'AUDIT_FAILURE';
  r['ExecutionProcessID'] = h.lsassPid;
  r['ThreadID'] = h.lsassPid + 412;
  return r;
}

export interface LogonInfo {
  readonly logonType: number;
  readonly targetUser: string;
  readonly targetDomain: string;
  readonly targetSid: string;
  readonly targetLogonId: string;
  readonly ipAddress: string;
  readonly ipPort: string;
  readonly workstation: string;
  readonly package: 'Kerberos' | 'NTLM' | 'Negotiate';
  readonly logonGuid: string;
  /** The local account that requested the logon (winlogon for type 2/10, none for 3). */
  readonly subject?: { user: string; domain: string; sid: string; logonId: string; processName: string; processId: string };
  readonly elevated: boolean;
}

const NO_SUBJECT = { user: '-', domain: '-', sid: 'S-1-0-0', logonId: '0x0', processName: '-', processId: '0x0' };

/** Security 4624: an account was successfully logged on. */
export function securityLogon(h: WinHost, ms: number, delayMs: number, l: LogonInfo): string {
  const r = securityBase(h, ms, delayMs, 4624, 12544, 'Logon', true, 2);
  const s = l.subject ?? NO_SUBJECT;
  r['SubjectUserSid'] = s.sid;
  r['SubjectUserName'] = s.user;
  r['SubjectDomainName'] = s.domain;
  r['SubjectLogonId'] = s.logonId;
  r['TargetUserSid'] = l.targetSid;
  r['TargetUserName'] = l.targetUser;
  r['TargetDomainName'] = l.targetDomain;
  r['TargetLogonId'] = l.targetLogonId;
  r['LogonType'] = String(l.logonType);
  r['LogonProcessName'] = l.package === 'Kerberos' ? 'Kerberos' : l.package === 'NTLM' ? 'NtLmSsp ' : 'User32 ';
  r['AuthenticationPackageName'] = l.package;
  r['WorkstationName'] = l.workstation;
  r['LogonGuid'] = l.package === 'Kerberos' ? l.logonGuid : '{00000000-0000-0000-0000-000000000000}';
  r['TransmittedServices'] = '-';
  r['LmPackageName'] = l.package === 'NTLM' ? 'NTLM V2' : '-';
  r['KeyLength'] = l.package === 'NTLM' ? '128' : '0';
  r['ProcessId'] = s.processId;
  r['ProcessName'] = s.processName;
  r['IpAddress'] = l.ipAddress;
  r['IpPort'] = l.ipPort;
  r['ImpersonationLevel'] = '%%1833';
  r['RestrictedAdminMode'] = l.logonType === 10 ? '%%1843' : '-';
  r['TargetOutboundUserName'] = '-';
  r['TargetOutboundDomainName'] = '-';
  r['VirtualAccount'] = '%%1843';
  r['TargetLinkedLogonId'] = '0x0';
  r['ElevatedToken'] = l.elevated ? '%%1842' : '%%1843';
  return finish(r, KW_AUDIT_SUCCESS);
}

export interface FailedLogonInfo {
  readonly logonType: number;
  readonly targetUser: string;
  readonly targetDomain: string;
  readonly ipAddress: string;
  readonly ipPort: string;
  readonly workstation: string;
  /** 0xc000006d with SubStatus 0xc000006a (bad password) or 0xc0000064 (no such user). */
  readonly status: string;
  readonly subStatus: string;
  readonly package: 'NTLM' | 'Negotiate';
}

/** Security 4625: an account failed to log on. */
export function securityLogonFailed(h: WinHost, ms: number, delayMs: number, l: FailedLogonInfo): string {
  const r = securityBase(h, ms, delayMs, 4625, 12544, 'Logon', false, 0);
  r['SubjectUserSid'] = 'S-1-0-0';
  r['SubjectUserName'] = '-';
  r['SubjectDomainName'] = '-';
  r['SubjectLogonId'] = '0x0';
  r['TargetUserSid'] = 'S-1-0-0';
  r['TargetUserName'] = l.targetUser;
  r['TargetDomainName'] = l.targetDomain;
  r['Status'] = l.status;
  r['FailureReason'] = '%%2313';
  r['SubStatus'] = l.subStatus;
  r['LogonType'] = String(l.logonType);
  r['LogonProcessName'] = l.package === 'NTLM' ? 'NtLmSsp ' : 'User32 ';
  r['AuthenticationPackageName'] = l.package;
  r['WorkstationName'] = l.workstation;
  r['TransmittedServices'] = '-';
  r['LmPackageName'] = '-';
  r['KeyLength'] = '0';
  r['ProcessId'] = '0x0';
  r['ProcessName'] = '-';
  r['IpAddress'] = l.ipAddress;
  r['IpPort'] = l.ipPort;
  return finish(r, KW_AUDIT_FAILURE);
}

const ADMIN_PRIVILEGES = [
  'SeSecurityPrivilege', 'SeBackupPrivilege', 'SeRestorePrivilege', 'SeTakeOwnershipPrivilege', 'SeDebugPrivilege',
  'SeSystemEnvironmentPrivilege', 'SeLoadDriverPrivilege', 'SeImpersonatePrivilege', 'SeDelegateSessionUserImpersonatePrivilege',
].join('\r\n\t\t\t');
const SYSTEM_PRIVILEGES = [
  'SeAssignPrimaryTokenPrivilege', 'SeTcbPrivilege', 'SeSecurityPrivilege', 'SeTakeOwnershipPrivilege', 'SeLoadDriverPrivilege',
  'SeBackupPrivilege', 'SeRestorePrivilege', 'SeDebugPrivilege', 'SeAuditPrivilege', 'SeSystemEnvironmentPrivilege',
  'SeImpersonatePrivilege', 'SeDelegateSessionUserImpersonatePrivilege',
].join('\r\n\t\t\t');

/** Security 4672: special privileges assigned to a new logon (admins and SYSTEM). */
export function securitySpecialLogon(h: WinHost, ms: number, delayMs: number, user: string, domain: string, sid: string, logonId: string): string {
  const r = securityBase(h, ms, delayMs, 4672, 12548, 'Special Logon', true, 0);
  r['SubjectUserSid'] = sid;
  r['SubjectUserName'] = user;
  r['SubjectDomainName'] = domain;
  r['SubjectLogonId'] = logonId;
  r['PrivilegeList'] = sid === 'S-1-5-18' ? SYSTEM_PRIVILEGES : ADMIN_PRIVILEGES;
  return finish(r, KW_AUDIT_SUCCESS);
}

/** System 7045: a service was installed in the system. */
export function systemServiceInstall(h: WinHost, ms: number, delayMs: number, service: string, imagePath: string, account: { name: string; domain: string; sid: string }): string {
  const r: Record<string, unknown> = {};
  envelope(h, ms, delayMs, 'System', 7045, r);
  r['SourceName'] = 'Service Control Manager';
  r['ProviderGuid'] = SCM_GUID;
  r['Task'] = 0;
  r['Version'] = 0;
  r['EventType'] = 'INFO';
  r['ExecutionProcessID'] = 704;
  r['ThreadID'] = 10092;
  r['AccountType'] = 'User';
  r['AccountName'] = account.name;
  r['Domain'] = account.domain;
  r['UserID'] = account.sid;
  r['ServiceName'] = service;
  r['ImagePath'] = imagePath;
  r['ServiceType'] = 'user mode service';
  r['StartType'] = 'demand start';
  return finish(r, KW_SCM);
}
