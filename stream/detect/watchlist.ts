/**
 * Detection: execution of watch-listed Windows binaries, and the command lines that turn
 * them into download or proxy-execution tools. Pure functions over one event.
 */
import type { Flag, NightjarEvent } from '../../schema/types.js';

/** The default watch list: binaries attackers live off; configurable under detect.watchlist. */
export const DEFAULT_WATCHLIST: readonly string[] = [
  'quser.exe', 'query.exe', 'regedit.exe', 'wmic.exe', 'cmd.exe', 'powershell.exe', 'pwsh.exe', 'net.exe',
  'net1.exe', 'reg.exe', 'rundll32.exe', 'mshta.exe', 'regsvr32.exe', 'certutil.exe', 'bitsadmin.exe',
  'schtasks.exe', 'psexec.exe', 'psexesvc.exe', 'whoami.exe', 'nltest.exe', 'wscript.exe', 'cscript.exe',
  'vssadmin.exe', 'wevtutil.exe', 'msiexec.exe', 'installutil.exe', 'msbuild.exe', 'ntdsutil.exe', 'at.exe', 'sc.exe',
];

/** Command-line patterns that make a watch-listed binary a likely attack step. */
const SUSPICIOUS: readonly { process: RegExp; pattern: RegExp; what: string }[] = [
  { process: /^certutil\.exe$/, pattern: /[-/](urlcache|verifyctl)\b.*https?:|[-/]decode\b/i, what: 'downloads or decodes a file with certutil' },
  { process: /^bitsadmin\.exe$/, pattern: /\/(transfer|addfile)\b.*https?:/i, what: 'downloads a file with bitsadmin' },
  { process: /^(powershell|pwsh)\.exe$/, pattern: /(-e(nc(odedcommand)?)?\s+[A-Za-z0-9+/=]{20,})|downloadstring|downloadfile|invoke-webrequest|\biwr\b|\biex\b|invoke-expression|frombase64string/i, what: 'runs encoded or downloaded PowerShell' },
  { process: /^mshta\.exe$/, pattern: /(https?:|javascript:|vbscript:)/i, what: 'runs remote or inline script with mshta' },
  { process: /^regsvr32\.exe$/, pattern: /\/i:\s*https?:|scrobj\.dll/i, what: 'proxies script execution through regsvr32 (Squiblydoo)' },
  { process: /^rundll32\.exe$/, pattern: /javascript:|\\(temp|appdata|users\\public)\\|comsvcs(\.dll)?[, ]+#?(minidump|24)/i, what: 'runs a DLL from a user-writable path or dumps memory with rundll32' },
  { process: /^(wmic)\.exe$/, pattern: /\/node:|process\s+call\s+create|shadowcopy\s+delete/i, what: 'executes remotely or deletes shadow copies with wmic' },
  { process: /^vssadmin\.exe$/, pattern: /delete\s+shadows/i, what: 'deletes volume shadow copies' },
  { process: /^reg\.exe$/, pattern: /save\s+hklm\\(sam|system|security)/i, what: 'saves a credential hive with reg' },
];

function describeActor(e: NightjarEvent): string {
  const who = e.user ? `${e.user_domain ? `${e.user_domain}\\` : ''}${e.user}` : 'an unknown user';
  return `on ${e.host ?? 'an unknown host'} by ${who}`;
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Flags a watch-listed binary's execution, unless it is routine: once its parent→child
 * pair has run more than `routineAfter` times (the count stage's statistic), a logon
 * script's cmd.exe stops raising flags, while the same binary under an unusual parent
 * still does. Suspicious command lines are flagged whatever the routine.
 */
export function watchlistFlags(e: NightjarEvent, watchlist: ReadonlySet<string>, routineAfter = Infinity): Flag[] {
  if (e.event_type !== 'process_start' || !e.process || !watchlist.has(e.process)) return [];
  const flags: Flag[] = [];
  const pairCount = e.stats.find((s) => s.kind === 'parent_child')?.count ?? 0;
  if (pairCount <= routineAfter) {
    const parent = e.parent_process ? ` from ${e.parent_process}` : '';
    const seen = pairCount > 1 ? ` (this pair ran ${pairCount} times so far)` : '';
    flags.push({ rule: 'watchlisted_binary', score: 20, reason: `${e.process} executed${parent} ${describeActor(e)}${seen}` });
  }
  const cmd = e.command_line ?? '';
  for (const s of SUSPICIOUS) {
    if (s.process.test(e.process) && s.pattern.test(cmd)) {
      flags.push({ rule: 'lolbin_suspicious_use', score: 75, reason: `${e.process} ${s.what} ${describeActor(e)}: ${clip(cmd)}` });
      break;
    }
  }
  return flags;
}
