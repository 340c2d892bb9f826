/**
 * Interactive sessions: a user's morning logon (domain controller, workstation, logon
 * script mapping the home share, shell and start-up applications) and the applications
 * they open later in the day. Sessions last one day; the generator clears them at midnight.
 */
import { image } from './catalog.js';
import { adminAccount, type Enterprise, type Host, type User } from './enterprise.js';
import type { HostRuntime, Identity, Proc, Session, World } from './world.js';

export function domainFqdnUpper(ent: Enterprise): string {
  return ent.dnsDomain.toUpperCase();
}

/** The domain controller a host authenticates against (its DNS server). */
export function dcFor(w: World, host: Host): HostRuntime {
  const dc = w.ent.dcs.find((d) => d.ip === host.dnsServer) ?? w.ent.dcs[0];
  if (!dc) throw new Error('enterprise without a domain controller');
  return w.rt(dc);
}

/**
 * Network logon of `account` on `target` from `from` (SMB, LDAP, RDP pre-auth…): 4624 on
 * the target and the TCP flow on the wire. Kerberos for domain members.
 */
export function networkLogon(w: World, ms: number, from: Host, target: HostRuntime, account: { sam: string; sid: string; privileged: boolean }, port: number, service: string): void {
  const srcPort = w.port();
  w.wire(ms, { origH: from.ip, origP: srcPort, respH: target.host.ip, respP: port, proto: 'tcp', service });
  w.logon(target, ms + 3, {
    logonType: 3, targetUser: account.sam, targetDomain: target.host.role === 'dc' ? domainFqdnUpper(w.ent) : w.ent.netbiosDomain,
    targetSid: account.sid, ipAddress: from.ip, ipPort: String(srcPort), workstation: '-', package: 'Kerberos', elevated: account.privileged,
  }, account.privileged);
}

/** Starts the user's day on their workstation if it has not started yet. */
export function ensureSession(w: World, user: User, ms: number): Session {
  const rt = w.rt(user.workstation);
  const existing = rt.sessions.get(user.sam);
  if (existing) return existing;
  const ent = w.ent;
  const dc = dcFor(w, rt.host);
  const rng = w.rng;
  let t = ms;

  // Kerberos at the DC, then the interactive logon on the workstation.
  w.wire(t, { origH: rt.host.ip, origP: w.port(), respH: dc.host.ip, respP: 88, proto: 'tcp', service: 'krb' });
  networkLogon(w, t + 40, rt.host, dc, { sam: user.sam, sid: user.sid, privileged: false }, 389, 'ldap');
  t += 300 + rng.int(900);
  const logonId = w.logon(rt, t, {
    logonType: 2, targetUser: user.sam, targetDomain: ent.netbiosDomain, targetSid: user.sid, ipAddress: '127.0.0.1', ipPort: '0',
    workstation: rt.host.name, package: 'Negotiate', elevated: false,
    subject: { user: `${rt.host.name}$`, domain: ent.netbiosDomain, sid: 'S-1-5-18', logonId: '0x3e7', processName: 'C:\\Windows\\System32\\svchost.exe', processId: '0x3a8' },
  }, false);
  const identity: Identity = {
    account: `${ent.netbiosDomain}\\${user.sam}`, logonId, logonGuid: w.logonGuid(rt.host),
    sessionId: rt.sessions.size > 0 ? '2' : '1', integrity: 'Medium', profile: user.sam,
  };

  t += 200 + rng.int(400);
  const userinit = w.spawn(rt, t, rt.winlogon, 'userinit.exe', 'C:\\Windows\\system32\\userinit.exe', identity);
  t += 150 + rng.int(300);
  const explorer = w.spawn(rt, t, userinit, 'explorer.exe', 'C:\\Windows\\Explorer.EXE', identity);
  const session: Session = { identity, sam: user.sam, sid: user.sid, explorer, apps: new Map() };
  rt.sessions.set(user.sam, session);

  // The logon script maps the home drive: cmd and net on every workstation, every day.
  t += 1500 + rng.int(2000);
  const gpsvc = rt.svchost[0] as Proc;
  const gpscript = w.spawn(rt, t, gpsvc, 'gpscript.exe', 'gpscript.exe /Logon', identity);
  t += 100 + rng.int(200);
  const cmd = w.spawn(rt, t, gpscript, 'cmd.exe', `C:\\Windows\\system32\\cmd.exe /c ""\\\\${ent.dnsDomain}\\SysVol\\${ent.dnsDomain}\\scripts\\logon.bat" "`, identity);
  w.spawn(rt, t + 20, cmd, 'conhost.exe', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', identity);
  t += 100 + rng.int(200);
  w.spawn(rt, t, cmd, 'net.exe', `net  use H: \\\\FS01\\home$\\${user.sam} /persistent:no`, identity);
  networkLogon(w, t + 60, rt.host, w.rt(ent.byRole('file')), { sam: user.sam, sid: user.sid, privileged: false }, 445, 'smb');

  // Start-up applications.
  t += 2000 + rng.int(4000);
  session.apps.set('onedrive.exe', w.spawn(rt, t, explorer, 'onedrive.exe', `"${image('onedrive.exe').path.replace('{user}', user.sam)}" /background`, identity));
  t += 500 + rng.int(3000);
  session.apps.set('teams.exe', w.spawn(rt, t, explorer, 'teams.exe', `"${image('teams.exe').path.replace('{user}', user.sam)}" --process-start-args "--system-initiated"`, identity));
  return session;
}

/** A long-running user application, started from the shell on first use. */
export function ensureApp(w: World, rt: HostRuntime, session: Session, key: string, ms: number): Proc {
  const running = session.apps.get(key);
  if (running) return running;
  const spec = image(key);
  const path = spec.path.replace('{user}', session.identity.profile);
  const args = key === 'outlook.exe' ? ' /recycle' : '';
  const p = w.spawn(rt, ms, session.explorer, spec, `"${path}"${args}`, session.identity);
  session.apps.set(key, p);
  return p;
}

/** The admin's `adm.` identity in an RDP session on a server. */
export function adminIdentity(w: World, user: User, logonId: string, server: Host): Identity {
  return {
    account: `${w.ent.netbiosDomain}\\${adminAccount(user)}`, logonId, logonGuid: w.logonGuid(server), sessionId: '2', integrity: 'High', profile: adminAccount(user),
  };
}
