/**
 * What people do at work, as telemetry: browse, sync mail and chat, open documents, use
 * the file and print servers and the intranet app, mistype a password now and then; IT
 * admins also run cmd, PowerShell and net, and RDP to the servers they look after, so the
 * watch-listed binaries are not all malicious.
 */
import { BROWSING, SYSTEM_DOMAINS, image, imagePath, type DomainSpec } from './catalog.js';
import { adminAccount, type Host, type User } from './enterprise.js';
import { Rng, WeightedPicker } from './random.js';
import { adminIdentity, dcFor, ensureApp, ensureSession, networkLogon } from './sessions.js';
import { sysmonFileCreate, sysmonRegistry } from './windows-records.js';
import type { Proc, World } from './world.js';

const TOPICS = ['Budget', 'Forecast', 'Minutes', 'Proposal', 'Contract', 'Roadmap', 'Report', 'Invoice', 'Plan', 'Review', 'Onboarding', 'Pricing'];
const OFFICE_APPS: readonly (readonly [string, number])[] = [['winword.exe', 5], ['excel.exe', 5], ['powerpnt.exe', 2], ['acrord32.exe', 3], ['notepad.exe', 1]];
const EXT: Record<string, string> = { 'winword.exe': 'docx', 'excel.exe': 'xlsx', 'powerpnt.exe': 'pptx', 'acrord32.exe': 'pdf', 'notepad.exe': 'txt' };
const officePicker = new WeightedPicker(OFFICE_APPS);

function docName(w: World, user: User, app: string): string {
  return `${user.department} ${w.rng.pick(TOPICS)} Q${1 + w.rng.int(4)}.${EXT[app] ?? 'docx'}`;
}

function browserOf(user: User): string {
  return user.sam.charCodeAt(1) % 10 < 7 ? 'chrome.exe' : 'msedge.exe';
}

const domainPicker = new WeightedPicker(BROWSING.map((d, i) => [d, 1 / (1 + i * 0.35)] as const));
const favourites = new Map<string, readonly DomainSpec[]>();

/**
 * People browse the same few sites every day; a new site now and then. This keeps the
 * background's first-seen host pairs realistic but bounded.
 */
function siteFor(w: World, user: User): DomainSpec {
  let fav = favourites.get(user.sam);
  if (!fav) {
    const r = new Rng(hashText(user.sam));
    const set = new Set<DomainSpec>();
    while (set.size < 5) set.add(domainPicker.pick(r));
    fav = [...set];
    favourites.set(user.sam, fav);
  }
  return w.rng.chance(0.95) ? w.rng.pick(fav) : domainPicker.pick(w.rng);
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** DNS lookup then one to three HTTPS connections from the browser. */
function browse(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const key = browserOf(user);
  const fresh = !s.apps.has(key);
  const browser = ensureApp(w, rt, s, key, ms);
  if (fresh || w.rng.chance(0.08)) {
    const type = w.rng.chance(0.7) ? 'renderer' : 'utility';
    w.spawn(rt, ms + 300, browser, key, `"${browser.path}" --type=${type} --lang=en-US --field-trial-handle=${1800 + w.rng.int(400)},i,${w.rng.int(1e9)} /prefetch:${1 + w.rng.int(8)}`, s.identity);
  }
  const d = siteFor(w, user);
  const ips = w.resolve(rt, ms + 500, browser, d);
  // Clients use the first answer; a page opens a few connections to it.
  const n = 1 + w.rng.int(3);
  for (let i = 0; i < n; i++) {
    w.connect(rt, ms + 560 + i * 40, browser, ips[0] as string, 443, 'ssl', { bytesIn: 2000 + w.rng.int(400_000) });
  }
}

const CLOUD: Record<string, DomainSpec[]> = {
  'outlook.exe': BROWSING.filter((d) => d.name.startsWith('outlook.') || d.name.startsWith('login.')),
  'teams.exe': BROWSING.filter((d) => d.name.startsWith('teams.') || d.name.startsWith('login.')),
  'onedrive.exe': BROWSING.filter((d) => d.name.includes('sharepoint')).concat(SYSTEM_DOMAINS.filter((d) => d.name.startsWith('oneclient'))),
};

/** Mail, chat and file sync talking to their cloud services. */
function cloudSync(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const key = w.rng.pick(['outlook.exe', 'outlook.exe', 'teams.exe', 'onedrive.exe']);
  const app = ensureApp(w, rt, s, key, ms);
  const d = w.rng.pick(CLOUD[key] as DomainSpec[]);
  const ips = w.rng.chance(0.4) ? w.resolve(rt, ms + 20, app, d) : d.ips;
  w.connect(rt, ms + 80, app, ips[0] as string, 443, 'ssl', { bytesIn: 500 + w.rng.int(50_000) });
  if (key === 'outlook.exe' && w.rng.chance(0.15)) {
    // A saved attachment lands in the Outlook secure temp folder.
    w.buffer.windows(ms + 900, sysmonFileCreate(rt, ms + 900, w.delay(), app,
      `C:\\Users\\${user.sam}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\${w.rng.base62(8).toUpperCase()}\\${docName(w, user, 'winword.exe')}`));
  }
}

/** Opening a document from the shell (or, sometimes, an Outlook attachment). */
function openDocument(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const key = officePicker.pick(w.rng);
  const file = docName(w, user, key);
  const dir = w.rng.chance(0.5) ? `C:\\Users\\${user.sam}\\Documents` : `H:\\${user.department}`;
  const fromMail = key !== 'notepad.exe' && w.rng.chance(0.15);
  const parent = fromMail ? ensureApp(w, rt, s, 'outlook.exe', ms) : s.explorer;
  const p = s.apps.get(key) ?? w.spawn(rt, ms + 100, parent, key, `"${imagePath(image(key), user.sam)}" "${dir}\\${file}"`, s.identity);
  s.apps.set(key, p);
  w.buffer.windows(ms + 1500, sysmonRegistry(rt, ms + 1500, w.delay(), s.explorer, 'SetValue',
    `HKU\\${user.sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.${file.split('.').pop()}\\MRUListEx`, 'Binary Data'));
  if (key === 'winword.exe' || key === 'excel.exe' || key === 'powerpnt.exe') {
    w.buffer.windows(ms + 2500, sysmonFileCreate(rt, ms + 2500, w.delay(), p, `${dir}\\~$${file.slice(2)}`));
  }
}


/** Reading the team share: SMB to the file server, a network logon there. */
function fileShare(w: World, user: User, ms: number): void {
  ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const fs = w.rt(w.ent.byRole('file'));
  networkLogon(w, ms, rt.host, fs, { sam: user.sam, sid: user.sid, privileged: false }, 445, 'smb');
  if (w.rng.chance(0.3)) w.connect(rt, ms + 30, rt.system, fs.host.ip, 445, 'smb', { bytesIn: 10_000 + w.rng.int(2_000_000) });
}

/** Shell and Office settings churn: the bulk of Sysmon 12/13 on a workstation. */
function registryChurn(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const hku = `HKU\\${user.sid}\\Software`;
  const r = w.rng.int(5);
  if (r <= 1) {
    const app = w.rng.pick([...s.apps.values(), s.explorer]);
    w.buffer.windows(ms, sysmonRegistry(rt, ms, w.delay(), s.explorer, 'SetValue',
      `${hku}\\Microsoft\\Windows\\CurrentVersion\\Explorer\\FeatureUsage\\AppSwitched\\${app.path}`, `DWORD (0x${(1 + w.rng.int(200)).toString(16).padStart(8, '0')})`));
  } else if (r === 2) {
    w.buffer.windows(ms, sysmonRegistry(rt, ms, w.delay(), s.explorer, 'CreateKey', `${hku}\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections`));
  } else if (r === 3) {
    const teams = ensureApp(w, rt, s, 'teams.exe', ms);
    w.buffer.windows(ms, sysmonRegistry(rt, ms, w.delay(), teams, 'SetValue', `${hku}\\Microsoft\\Office\\Teams\\LoggedInOnce`, 'DWORD (0x00000001)'));
  } else {
    const od = ensureApp(w, rt, s, 'onedrive.exe', ms);
    w.buffer.windows(ms, sysmonRegistry(rt, ms, w.delay(), od, 'SetValue', `${hku}\\Microsoft\\OneDrive\\Accounts\\Business1\\LastSignInTime`, `QWORD (0x00000000-0x${w.rng.hex(8)})`));
  }
}

/** Downloads and autosaves. */
function fileWrite(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  if (w.rng.chance(0.5)) {
    const b = ensureApp(w, rt, s, browserOf(user), ms);
    w.buffer.windows(ms, sysmonFileCreate(rt, ms, w.delay(), b, `C:\\Users\\${user.sam}\\Downloads\\${docName(w, user, w.rng.chance(0.5) ? 'acrord32.exe' : 'excel.exe')}`));
  } else {
    const od = ensureApp(w, rt, s, 'onedrive.exe', ms);
    w.buffer.windows(ms, sysmonFileCreate(rt, ms, w.delay(), od, `C:\\Users\\${user.sam}\\OneDrive - Contoso\\${user.department}\\${docName(w, user, 'winword.exe')}`));
  }
}

/** The intranet application: browser to APP01, which queries SQL01. */
export function intranet(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const app = w.rt(w.ent.byRole('app'));
  const b = ensureApp(w, rt, s, browserOf(user), ms);
  w.resolve(rt, ms, b, { name: `intranet.${w.ent.dnsDomain}`, ip: app.host.ip });
  w.connect(rt, ms + 30, b, app.host.ip, 443, 'ssl', { dstHostname: app.fqdn });
  if (app.roleProc) w.connect(app, ms + 80, app.roleProc, w.ent.byRole('sql').ip, 1433, '-', { bytesIn: 500 + w.rng.int(20000) });
}

export function print(w: World, user: User, ms: number): void {
  ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  networkLogon(w, ms, rt.host, w.rt(w.ent.byRole('print')), { sam: user.sam, sid: user.sid, privileged: false }, 445, 'smb,dce_rpc');
}

/** A mistyped password when unlocking, then the unlock. */
function typo(w: World, user: User, ms: number): void {
  ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  w.logonFailed(rt, ms, {
    logonType: 7, targetUser: user.sam, targetDomain: w.ent.netbiosDomain, ipAddress: '127.0.0.1', ipPort: '0', workstation: rt.host.name,
    status: '0xc000006d', subStatus: '0xc000006a', package: 'Negotiate',
  });
  w.logon(rt, ms + 4000 + w.rng.int(6000), {
    logonType: 7, targetUser: user.sam, targetDomain: w.ent.netbiosDomain, targetSid: user.sid, ipAddress: '127.0.0.1', ipPort: '0',
    workstation: rt.host.name, package: 'Negotiate', elevated: false,
  }, false);
}

const ADMIN_CMDS = [
  ['ipconfig.exe', 'ipconfig  /all'], ['ping.exe', 'ping  -n 4 SQL01'], ['nslookup.exe', 'nslookup  fs01.corp.example.com'],
  ['whoami.exe', 'whoami  /groups'], ['net.exe', 'net  use Z: \\\\FS01\\it$'], ['net.exe', 'net  group "Helpdesk" /domain'],
] as const;
const ADMIN_PS = [
  'Get-ADUser -Filter * -SearchBase "OU=Staff,DC=corp,DC=example,DC=com" | Measure-Object',
  'Get-Service -ComputerName SQL01 -Name MSSQLSERVER', 'Test-NetConnection -ComputerName FS01 -Port 445',
  'Get-WinEvent -LogName System -MaxEvents 50', 'Get-ADComputer -Filter {OperatingSystem -like "*Server*"}',
];

/** IT admin work: consoles on their own machine, RDP to their servers. */
export function adminWork(w: World, user: User, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const r = w.rng.int(4);
  if (r === 0) {
    const cmd = w.spawn(rt, ms, s.explorer, 'cmd.exe', '"C:\\Windows\\system32\\cmd.exe" ', s.identity);
    w.spawn(rt, ms + 30, cmd, 'conhost.exe', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', s.identity);
    const [key, line] = w.rng.pick(ADMIN_CMDS);
    const child = w.spawn(rt, ms + 5000 + w.rng.int(20000), cmd, key, line, s.identity);
    if (line.includes('/domain')) w.spawn(rt, ms + 25_100, child, 'net1.exe', line.replace('net  ', 'C:\\Windows\\system32\\net1  '), s.identity);
  } else if (r === 1) {
    const ps = w.spawn(rt, ms, s.explorer, 'powershell.exe', `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -Command "${w.rng.pick(ADMIN_PS)}"`, s.identity);
    w.connect(rt, ms + 900, ps, dcFor(w, rt.host).host.ip, 9389, '-');
  } else if (r === 2) {
    const mmc = w.spawn(rt, ms, s.explorer, 'mmc.exe', `"C:\\Windows\\system32\\mmc.exe" "C:\\Windows\\system32\\${w.rng.pick(['dsa.msc', 'gpmc.msc', 'dnsmgmt.msc'])}"`, s.identity);
    w.connect(rt, ms + 700, mmc, dcFor(w, rt.host).host.ip, 389, 'ldap');
  } else if (user.managedServers.length > 0) {
    adminRdp(w, user, w.rng.pick(user.managedServers), ms);
  } else {
    fileShare(w, user, ms);
  }
}

/** RDP with the `adm.` account to a managed server: mstsc, the flow, 4624 type 10 + 4672 there. */
function adminRdp(w: World, user: User, server: Host, ms: number): void {
  const s = ensureSession(w, user, ms);
  const rt = w.rt(user.workstation);
  const srt = w.rt(server);
  const mstsc = w.spawn(rt, ms, s.explorer, 'mstsc.exe', `"C:\\Windows\\system32\\mstsc.exe" /v:${server.name}`, s.identity);
  w.connect(rt, ms + 400, mstsc, server.ip, 3389, 'ssl', { bytesIn: 200_000 + w.rng.int(5_000_000) });
  const logonId = w.logon(srt, ms + 1500, {
    logonType: 10, targetUser: adminAccount(user), targetDomain: w.ent.netbiosDomain, targetSid: user.adminSid, ipAddress: rt.host.ip, ipPort: '0',
    workstation: server.name, package: 'Negotiate', elevated: true,
    subject: { user: `${server.name}$`, domain: w.ent.netbiosDomain, sid: 'S-1-5-18', logonId: '0x3e7', processName: 'C:\\Windows\\System32\\svchost.exe', processId: '0x4c4' },
  }, true);
  if (w.rng.chance(0.5)) {
    const who = adminIdentity(w, user, logonId, server);
    const shell = serverShell(w, user, server, logonId, ms + 3000);
    if (w.rng.chance(0.5)) w.spawn(srt, ms + 40_000, shell, 'mmc.exe', '"C:\\Windows\\system32\\mmc.exe" "C:\\Windows\\system32\\services.msc"', who);
    else w.spawn(srt, ms + 40_000, shell, 'powershell.exe', '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ', who);
  }
}

/**
 * The start of someone's day: logon, logon script, printer mapping, the intranet home
 * page; admins check each server they look after. Done every day, so these keys are
 * never new after the first day.
 */
function startDay(w: World, user: User, ms: number): void {
  ensureSession(w, user, ms);
  print(w, user, ms + 20_000 + w.rng.int(10_000));
  intranet(w, user, ms + 40_000 + w.rng.int(30_000));
  let t = ms + 120_000;
  for (const server of user.managedServers) {
    adminRdp(w, user, server, t);
    t += 60_000 + w.rng.int(240_000);
  }
}

/** The admin's shell in their RDP session on a server (winlogon → userinit → explorer), once a day. */
function serverShell(w: World, user: User, server: Host, logonId: string, ms: number): Proc {
  const srt = w.rt(server);
  const sam = adminAccount(user);
  const existing = srt.sessions.get(sam);
  if (existing) return existing.explorer;
  const who = adminIdentity(w, user, logonId, server);
  const userinit = w.spawn(srt, ms, srt.winlogon, 'userinit.exe', 'C:\\Windows\\system32\\userinit.exe', who);
  const explorer = w.spawn(srt, ms + 300, userinit, 'explorer.exe', 'C:\\Windows\\Explorer.EXE', who);
  srt.sessions.set(sam, { identity: who, sam, sid: user.adminSid, explorer, apps: new Map() });
  return explorer;
}

type UserActivity = (w: World, user: User, ms: number) => void;

export const USER_ACTIVITIES = new WeightedPicker<UserActivity>([
  [browse, 30], [cloudSync, 14], [openDocument, 7], [fileShare, 7], [registryChurn, 14], [fileWrite, 7], [intranet, 3], [typo, 0.5],
]);

/** One user action; admins spend part of their day on admin work. */
export function userActivity(w: World, user: User, ms: number): void {
  if (!w.rt(user.workstation).sessions.has(user.sam)) startDay(w, user, ms);
  else if (user.isAdmin && w.rng.chance(0.3)) adminWork(w, user, ms);
  else USER_ACTIVITIES.pick(w.rng)(w, user, ms);
}
