/**
 * The running state of the synthetic enterprise and the primitives activities are made
 * of: start a process, resolve a name, open a connection, log on. Each primitive writes
 * every record the real sources would write for it (Sysmon on the host, Security on the
 * target, Zeek on the wire), so the records of one action agree with each other: the
 * Sysmon 3 of a connection has the same ports as its Zeek conn row, a child's
 * ParentProcessGuid is its parent's ProcessGuid, and so on.
 */
import { hashesOf, image, imagePath, type DomainSpec, type ImageSpec } from './catalog.js';
import type { Enterprise, Host } from './enterprise.js';
import { EventBuffer } from './event-buffer.js';
import { Rng } from './random.js';
import {
  securityLogon, securityLogonFailed, securitySpecialLogon, sysmonDns, sysmonNetwork, sysmonProcessCreate,
  type FailedLogonInfo, type LogonInfo, type ProcCreate, type WinHost,
} from './windows-records.js';
import { connRow, dnsRow } from './zeek-records.js';

export interface Proc extends ProcCreate {
  readonly key: string;
}

/** Who a process runs as. */
export interface Identity {
  /** DOMAIN\\account as Sysmon writes it. */
  readonly account: string;
  readonly logonId: string;
  readonly logonGuid: string;
  readonly sessionId: string;
  readonly integrity: 'System' | 'High' | 'Medium';
  /** Profile folder name for per-user install paths. */
  readonly profile: string;
}

/** An interactive session of one account on one host. */
export interface Session {
  readonly identity: Identity;
  readonly sam: string;
  readonly sid: string;
  readonly explorer: Proc;
  /** Long-running user applications by image key. */
  readonly apps: Map<string, Proc>;
}

export class HostRuntime implements WinHost {
  readonly host: Host;
  readonly fqdn: string;
  readonly utcOffsetMs: number;
  readonly records = new Map<string, number>();
  readonly sysmonPid: number;
  readonly lsassPid: number;
  readonly systemIdentity: Identity;
  readonly system: Proc;
  readonly services: Proc;
  readonly winlogon: Proc;
  readonly svchost: readonly Proc[];
  readonly msmpeng: Proc;
  /** Server role process (sqlservr, w3wp, …) when the host has one. */
  readonly roleProc: Proc | undefined;
  sessions = new Map<string, Session>();
  private guidCounter: number;
  private readonly bootSecs: number;

  constructor(host: Host, ent: Enterprise, rng: Rng, bootMs: number) {
    this.host = host;
    this.fqdn = host.fqdn;
    this.utcOffsetMs = ent.utcOffsetMinutes * 60_000;
    this.guidCounter = 0x100 + rng.int(0x200);
    this.bootSecs = Math.floor(bootMs / 1000);
    this.sysmonPid = 2000 + rng.int(2000) * 4;
    this.lsassPid = 600 + rng.int(60) * 4;
    this.systemIdentity = {
      account: 'NT AUTHORITY\\SYSTEM', logonId: '0x3e7', logonGuid: `{${host.guidPrefix}-0000-0000-e703-000000000000}`,
      sessionId: '0', integrity: 'System', profile: 'SYSTEM',
    };
    const boot = (key: string, cmd: string, spec?: ImageSpec): Proc => this.makeProc(bootMs, spec ?? image(key), cmd, this.systemIdentity, rng);
    this.system = { ...boot('smss.exe', ''), key: 'system', path: 'System', pid: 4, commandLine: '' };
    this.services = boot('services.exe', 'C:\\Windows\\system32\\services.exe');
    this.winlogon = boot('winlogon.exe', 'winlogon.exe');
    this.svchost = ['netsvcs -p', 'DcomLaunch -p', 'NetworkService -p', 'LocalServiceNetworkRestricted -p', 'netsvcs -p -s Schedule'].map(
      (k) => boot('svchost.exe', `C:\\Windows\\system32\\svchost.exe -k ${k}`),
    );
    this.msmpeng = boot('msmpeng.exe', `"${image('msmpeng.exe').path}"`);
    const role: Record<string, [string, string] | undefined> = {
      sql: ['sqlservr.exe', '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER'],
      web: ['w3wp.exe', 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "Intranet" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm'],
      app: ['w3wp.exe', 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "ContosoApp" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm'],
      backup: ['backupagent.exe', '"C:\\Program Files\\Contoso Backup\\BackupAgent.exe" --service'],
      print: ['spoolsv.exe', 'C:\\Windows\\System32\\spoolsv.exe'],
      dc: ['dns.exe', 'C:\\Windows\\system32\\dns.exe'],
    };
    const r = role[host.role];
    this.roleProc = r ? boot(r[0], r[1]) : undefined;
  }

  nextGuid(ms: number): string {
    const secs = Math.max(this.bootSecs, Math.floor(ms / 1000));
    this.guidCounter = (this.guidCounter + 1) & 0xffff;
    const h4 = (n: number): string => (n & 0xffff).toString(16).padStart(4, '0');
    return `{${this.host.guidPrefix}-${h4(secs)}-${h4(secs >>> 16)}-${h4(this.guidCounter)}-${this.host.guidSuffix}}`;
  }

  makeProc(ms: number, spec: ImageSpec, commandLine: string, who: Identity, rng: Rng): Proc {
    const path = imagePath(spec, who.profile);
    return {
      key: spec.key,
      path,
      pid: 1000 + rng.int(4000) * 4,
      guid: this.nextGuid(ms),
      commandLine,
      user: who.account,
      fileVersion: spec.fileVersion,
      description: spec.description,
      product: spec.product,
      company: spec.company,
      originalFileName: spec.originalFileName,
      currentDirectory: who.integrity === 'System' ? 'C:\\Windows\\system32\\' : `C:\\Users\\${who.profile}\\`,
      logonGuid: who.logonGuid,
      logonId: who.logonId,
      sessionId: who.sessionId,
      integrityLevel: who.integrity,
      hashes: hashesOf(spec).sysmon,
    };
  }
}

export class World {
  readonly ent: Enterprise;
  readonly runtimes: readonly HostRuntime[];
  readonly buffer = new EventBuffer();
  rng: Rng;

  constructor(ent: Enterprise, rng: Rng, bootMs: number) {
    this.ent = ent;
    this.rng = rng;
    this.runtimes = ent.hosts.map((h) => new HostRuntime(h, ent, rng.fork(`boot:${h.name}`), bootMs - rng.int(5 * 86_400_000)));
  }

  rt(host: Host): HostRuntime {
    return this.runtimes[host.index] as HostRuntime;
  }

  /** Collector lag between an event and its arrival at the WEC. */
  delay(): number {
    return 400 + this.rng.int(2600);
  }

  port(): number {
    return 49152 + this.rng.int(16384);
  }

  uid(): string {
    return `C${this.rng.base62(17)}`;
  }

  logonId(): string {
    return `0x${(0x100000 + this.rng.int(0x3fffffff)).toString(16)}`;
  }

  logonGuid(host: Host): string {
    return `{${host.guidPrefix}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(12)}}`;
  }

  /** Sysmon 1 for a new process under `parent`. */
  spawn(rt: HostRuntime, ms: number, parent: Proc, spec: ImageSpec | string, commandLine: string, who: Identity): Proc {
    const s = typeof spec === 'string' ? image(spec) : spec;
    const p = rt.makeProc(ms, s, commandLine, who, this.rng);
    this.buffer.windows(ms, sysmonProcessCreate(rt, ms, this.delay(), p, parent));
    return p;
  }

  /** A Zeek conn row only (traffic of devices without Sysmon, or the far side of a flow). */
  wire(ms: number, c: {
    uid?: string; origH: string; origP: number; respH: string; respP: number; proto: 'tcp' | 'udp'; service: string;
    state?: string; bytesOut?: number; bytesIn?: number; duration?: number;
  }): string {
    const uid = c.uid ?? this.uid();
    const state = c.state ?? 'SF';
    const answered = state !== 'S0' && state !== 'REJ';
    const out = c.bytesOut ?? (c.proto === 'udp' ? 40 + this.rng.int(40) : 300 + this.rng.int(3000));
    const inn = c.bytesIn ?? (c.proto === 'udp' ? 80 + this.rng.int(200) : 1000 + this.rng.int(60000));
    const tcpHistory = state === 'SF' ? 'ShADadFf' : state === 'S0' ? 'S' : state === 'REJ' ? 'Sr' : 'ShADadR';
    this.buffer.zeekConn(ms, connRow({
      ms, uid, origH: c.origH, origP: c.origP, respH: c.respH, respP: c.respP, proto: c.proto, service: c.service,
      duration: answered ? (c.duration ?? (c.proto === 'udp' ? 0.0005 + this.rng.next() * 0.03 : 0.05 + this.rng.exp(8))) : undefined,
      origBytes: answered ? out : 0, respBytes: answered ? inn : 0, state,
      localOrig: isInternal(c.origH), localResp: isInternal(c.respH),
      history: c.proto === 'udp' ? (answered ? 'Dd' : 'D') : tcpHistory,
      origPkts: c.proto === 'udp' ? 1 : Math.max(2, Math.ceil(out / 1200) + 3),
      respPkts: answered ? (c.proto === 'udp' ? 1 : Math.max(2, Math.ceil(inn / 1400) + 2)) : 0,
    }));
    return uid;
  }

  /** A connection a process opens: Sysmon 3 on the host and the Zeek conn row. */
  connect(rt: HostRuntime, ms: number, p: Proc, dstIp: string, dstPort: number, service: string, opts: {
    proto?: 'tcp' | 'udp'; dstHostname?: string; bytesOut?: number; bytesIn?: number; state?: string;
  } = {}): void {
    const proto = opts.proto ?? 'tcp';
    const srcPort = this.port();
    this.buffer.windows(ms, sysmonNetwork(rt, ms, this.delay(), p, {
      proto, srcIp: rt.host.ip, srcPort, dstIp, dstPort, dstHostname: opts.dstHostname, dstPortName: PORT_NAMES[dstPort],
    }));
    this.wire(ms + 1 + this.rng.int(20), {
      origH: rt.host.ip, origP: srcPort, respH: dstIp, respP: dstPort, proto, service,
      bytesOut: opts.bytesOut, bytesIn: opts.bytesIn, state: opts.state,
    });
  }

  /** A DNS lookup by a process: Sysmon 22 on the host, Zeek dns and conn rows on the wire. */
  resolve(rt: HostRuntime, ms: number, p: Proc, d: DomainSpec | { name: string; ip: string } | { name: string; nx: true }): readonly string[] {
    const uid = this.uid();
    const srcPort = this.port();
    const rtt = 0.0004 + (('ip' in d || 'nx' in d) ? this.rng.next() * 0.002 : this.rng.next() * 0.04);
    let answers: string[];
    let ttls: number[];
    let ips: readonly string[];
    let results: string;
    if ('nx' in d) {
      answers = []; ttls = []; ips = []; results = '-';
    } else if ('ip' in d) {
      answers = [d.ip]; ttls = [1200]; ips = [d.ip]; results = `${d.ip};`;
    } else {
      answers = [...d.cnames, ...d.ips];
      ttls = answers.map((_, i) => (i < d.cnames.length ? d.ttl * 2 : d.ttl));
      ips = d.ips;
      results = d.cnames.map((c) => `type:  5 ${c};`).join('') + d.ips.map((ip) => `::ffff:${ip};`).join('');
    }
    const nx = 'nx' in d;
    this.buffer.windows(ms + Math.round(rtt * 1000), sysmonDns(rt, ms + Math.round(rtt * 1000), this.delay(), p, d.name, nx ? '9003' : '0', results));
    this.buffer.zeekDns(ms, dnsRow({
      ms, uid, origH: rt.host.ip, origP: srcPort, respH: rt.host.dnsServer, transId: this.rng.int(65536), rtt,
      query: d.name, qtype: 1, qtypeName: 'A', rcode: nx ? 3 : 0, answers, ttls,
    }));
    this.wire(ms, {
      uid, origH: rt.host.ip, origP: srcPort, respH: rt.host.dnsServer, respP: 53, proto: 'udp', service: 'dns',
      duration: rtt, bytesOut: 30 + d.name.length, bytesIn: 46 + d.name.length + answers.length * 16,
    });
    return ips;
  }

  /** 4624 on the target (plus 4672 when the account is privileged). Returns the new logon id. */
  logon(target: HostRuntime, ms: number, l: Omit<LogonInfo, 'targetLogonId' | 'logonGuid'>, privileged: boolean): string {
    const id = this.logonId();
    const info: LogonInfo = { ...l, targetLogonId: id, logonGuid: this.logonGuid(target.host) };
    this.buffer.windows(ms, securityLogon(target, ms, this.delay(), info));
    if (privileged) this.buffer.windows(ms, securitySpecialLogon(target, ms, this.delay(), l.targetUser, l.targetDomain, l.targetSid, id));
    return id;
  }

  logonFailed(target: HostRuntime, ms: number, l: FailedLogonInfo): void {
    this.buffer.windows(ms, securityLogonFailed(target, ms, this.delay(), l));
  }
}

const PORT_NAMES: Record<number, string> = { 53: 'domain', 88: 'kerberos', 135: 'epmap', 389: 'ldap', 443: 'https', 445: 'microsoft-ds', 80: 'http', 3389: 'ms-wbt-server', 1433: 'ms-sql-s' };

export function isInternal(ip: string): boolean {
  return ip.startsWith('10.') || ip.startsWith('172.16.') || ip.startsWith('192.168.');
}
