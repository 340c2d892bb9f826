/**
 * What machines do on their own, day and night: scheduled tasks and COM servers start,
 * services write the registry and files, Windows and Defender check in with Microsoft,
 * computer accounts talk to the domain controllers, the app server queries SQL, the
 * backup server walks the servers at night. Every host has a daily routine (its
 * check-ins), so its network peers are the same every day.
 */
import { SYSTEM_DOMAINS, type DomainSpec } from './catalog.js';
import { WeightedPicker } from './random.js';
import { dcFor, networkLogon } from './sessions.js';
import { sysmonFileCreate, sysmonRegistry } from './windows-records.js';
import type { HostRuntime, Proc, World } from './world.js';

const SYSTEM_IDENTITY_CHILDREN: readonly (readonly [string, string, number, number])[] = [
  // image, command line, svchost instance (index into HostRuntime.svchost), weight
  ['taskhostw.exe', 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly', 4, 4],
  ['backgroundTaskHost.exe', '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider', 1, 3],
  ['RuntimeBroker.exe', 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding', 1, 3],
  ['dllhost.exe', 'C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}', 1, 3],
  ['WmiPrvSE.exe', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', 1, 2],
  ['smartscreen.exe', 'C:\\Windows\\System32\\smartscreen.exe -Embedding', 1, 1],
  ['CompatTelRunner.exe', 'C:\\Windows\\system32\\compattelrunner.exe -maintenance', 4, 0.5],
  ['sihost.exe', 'sihost.exe', 0, 0.5],
];
const childPicker = new WeightedPicker(SYSTEM_IDENTITY_CHILDREN.map((c) => [c, c[3]] as const));

function domainNamed(prefix: string): DomainSpec {
  const d = SYSTEM_DOMAINS.find((x) => x.name.startsWith(prefix));
  if (!d) throw new Error(`no system domain ${prefix}`);
  return d;
}
const TELEMETRY = domainNamed('settings-win');
const EVENTS = domainNamed('v10.events');
const DEFENDER = domainNamed('definitionupdates');
const WDCP = domainNamed('wdcp');
const CTL = domainNamed('ctldl');

/** Check-ins every host makes once a day: the computer account, time, telemetry, Defender. */
export function hostDay(w: World, rt: HostRuntime, ms: number): void {
  const dc = dcFor(w, rt.host);
  if (rt.host.role !== 'dc') {
    w.logon(dc, ms, {
      logonType: 3, targetUser: `${rt.host.name}$`, targetDomain: w.ent.dnsDomain.toUpperCase(), targetSid: `${w.ent.domainSid}-${20000 + rt.host.index}`,
      ipAddress: rt.host.ip, ipPort: String(w.port()), workstation: '-', package: 'Kerberos', elevated: true,
    }, false);
    w.wire(ms, { origH: rt.host.ip, origP: w.port(), respH: dc.host.ip, respP: 88, proto: 'tcp', service: 'krb' });
    w.wire(ms + 900, { origH: rt.host.ip, origP: 123, respH: dc.host.ip, respP: 123, proto: 'udp', service: 'ntp', bytesOut: 48, bytesIn: 48 });
  }
  const svc = rt.svchost[2] as Proc;
  w.connect(rt, ms + 2000, svc, w.resolve(rt, ms + 1900, svc, TELEMETRY)[0] as string, 443, 'ssl');
  w.connect(rt, ms + 3000, rt.msmpeng, w.resolve(rt, ms + 2900, rt.msmpeng, DEFENDER)[0] as string, 443, 'ssl', { bytesIn: 100_000 + w.rng.int(8_000_000) });
  w.buffer.windows(ms + 60_000, sysmonFileCreate(rt, ms + 60_000, w.delay(), rt.msmpeng,
    `C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{${w.rng.hex(8).toUpperCase()}-${w.rng.hex(4).toUpperCase()}-${w.rng.hex(4).toUpperCase()}-${w.rng.hex(4).toUpperCase()}-${w.rng.hex(12).toUpperCase()}}\\mpasbase.vdm`));
  // A service logon as SYSTEM, with its special privileges.
  w.logon(rt, ms + 5000, {
    logonType: 5, targetUser: 'SYSTEM', targetDomain: 'NT AUTHORITY', targetSid: 'S-1-5-18', ipAddress: '-', ipPort: '-', workstation: '-',
    package: 'Negotiate', elevated: true,
    subject: { user: `${rt.host.name}$`, domain: w.ent.netbiosDomain, sid: 'S-1-5-18', logonId: '0x3e7', processName: 'C:\\Windows\\System32\\services.exe', processId: '0x2a8' },
  }, true);
  if (rt.host.role === 'backup') backupRun(w, rt, ms + 10_000);
}

/** The nightly backup: the agent connects to every server it protects and logs on there. */
function backupRun(w: World, rt: HostRuntime, ms: number): void {
  const svc = w.ent.serviceAccounts.find((a) => a.sam === 'svc_backup');
  if (!svc || !rt.roleProc) return;
  let t = ms;
  for (const server of svc.servers) {
    if (server === rt.host) continue;
    w.connect(rt, t, rt.roleProc, server.ip, 445, 'smb', { bytesIn: 50_000_000 + w.rng.int(500_000_000) });
    networkLogon(w, t + 50, rt.host, w.rt(server), { sam: svc.sam, sid: svc.sid, privileged: true }, 445, 'smb');
    t += 120_000 + w.rng.int(600_000);
  }
}

function spawnTask(w: World, rt: HostRuntime, ms: number): void {
  const [key, cmd, svcIndex] = childPicker.pick(w.rng);
  const parent = rt.svchost[svcIndex] as Proc;
  w.spawn(rt, ms, parent, key, cmd, rt.systemIdentity);
}

const SYSTEM_KEYS = [
  ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks\\{GUID}\\DynamicInfo', 'Binary Data'],
  ['HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-18\\\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe', 'QWORD (0x01da-0x{HEX})'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Orchestrator\\LastScanTime', 'QWORD (0x01da-0x{HEX})'],
  ['HKLM\\System\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces\\{GUID}\\DhcpIPAddress', '{IP}'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated', 'Binary Data'],
] as const;

function registry(w: World, rt: HostRuntime, ms: number): void {
  const i = w.rng.int(SYSTEM_KEYS.length);
  const [key, value] = SYSTEM_KEYS[i] as readonly [string, string];
  const taskGuid = `{${rt.host.guidPrefix.toUpperCase()}-0000-4000-8000-00000000000${w.rng.int(8)}}`;
  const target = key.replace('{GUID}', taskGuid);
  const details = value.replace('{HEX}', w.rng.hex(8)).replace('{IP}', rt.host.ip);
  const proc = i === 4 ? rt.msmpeng : (rt.svchost[i === 3 ? 2 : 0] as Proc);
  w.buffer.windows(ms, sysmonRegistry(rt, ms, w.delay(), proc, 'SetValue', target, details));
}

function files(w: World, rt: HostRuntime, ms: number): void {
  const r = w.rng.int(3);
  const target = r === 0
    ? `C:\\Windows\\ServiceState\\EventLog\\Data\\lastalive${w.rng.int(2)}.dat`
    : r === 1
      ? `C:\\Windows\\Prefetch\\${w.rng.pick(['SVCHOST', 'TASKHOSTW', 'DLLHOST', 'RUNTIMEBROKER'])}.EXE-${w.rng.hex(8).toUpperCase()}.pf`
      : `C:\\Windows\\Temp\\${w.rng.hex(8)}-${w.rng.hex(4)}.tmp`;
  w.buffer.windows(ms, sysmonFileCreate(rt, ms, w.delay(), rt.svchost[r === 2 ? 1 : 0] as Proc, target));
}

/** Re-checking in later in the day, to the same places as the morning check-in. */
function checkIn(w: World, rt: HostRuntime, ms: number): void {
  const svc = rt.svchost[2] as Proc;
  const d = w.rng.pick([TELEMETRY, EVENTS, WDCP, CTL]);
  const target = d === TELEMETRY ? TELEMETRY.ips[0] : w.resolve(rt, ms, d === WDCP ? rt.msmpeng : svc, d)[0];
  w.connect(rt, ms + 60, d === WDCP ? rt.msmpeng : svc, target as string, 443, 'ssl');
}

/** Server work: the app server's SQL queries, SYSVOL replication between the DCs. */
function serverWork(w: World, ms: number): void {
  const app = w.rt(w.ent.byRole('app'));
  const sql = w.ent.byRole('sql');
  if (w.rng.chance(0.7) && app.roleProc) {
    w.connect(app, ms, app.roleProc, sql.ip, 1433, '-', { bytesIn: 500 + w.rng.int(20_000) });
  } else if (w.ent.dcs.length > 1) {
    const [a, b] = w.rng.chance(0.5) ? [w.ent.dcs[0], w.ent.dcs[1]] : [w.ent.dcs[1], w.ent.dcs[0]];
    const from = w.rt(a!);
    w.wire(ms, { origH: from.host.ip, origP: w.port(), respH: b!.ip, respP: 135, proto: 'tcp', service: 'dce_rpc' });
    w.wire(ms + 30, { origH: from.host.ip, origP: w.port(), respH: b!.ip, respP: 49667, proto: 'tcp', service: 'dce_rpc' });
  }
}

type SystemActivity = (w: World, rt: HostRuntime, ms: number) => void;
const SYSTEM_ACTIVITIES = new WeightedPicker<SystemActivity>([
  [spawnTask, 20], [registry, 22], [files, 10], [checkIn, 8], [(w, _rt, ms) => serverWork(w, ms), 5],
]);

/** One thing some machine does on its own. */
export function systemActivity(w: World, ms: number): void {
  SYSTEM_ACTIVITIES.pick(w.rng)(w, w.rng.pick(w.runtimes), ms);
}
