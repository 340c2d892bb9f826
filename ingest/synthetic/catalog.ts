/**
 * The software and the internet of the synthetic enterprise: executables with their
 * version metadata and hashes, and the domains users and services resolve.
 *
 * Hashes are derived from the image and its version only (not the seed), the way a real
 * binary has the same hash in every enterprise: one hash per image version, everywhere.
 */
import { createHash } from 'node:crypto';

export interface ImageSpec {
  /** Lower-case basename: the key the pipeline counts (chrome.exe). */
  readonly key: string;
  /** Full path; `{user}` is replaced by the account's profile folder name. */
  readonly path: string;
  readonly description: string;
  readonly product: string;
  readonly company: string;
  readonly originalFileName: string;
  readonly fileVersion: string;
}

export interface Hashes {
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly imphash: string;
  /** The Sysmon `Hashes` field: SHA1=…,MD5=…,SHA256=…,IMPHASH=… upper-case hex. */
  readonly sysmon: string;
}

const MS = 'Microsoft Corporation';
const WINPROD = 'Microsoft\u00ae Windows\u00ae Operating System';
const WINVER = '10.0.19041.1 (WinBuild.160101.0800)';
const OFFICE = 'Microsoft Office';
const OFFVER = '16.0.17328.20162';

/** A Windows binary; `file` keeps the on-disk case, the key is its lower-case basename. */
function sys(file: string, description: string, dir = 'C:\\Windows\\System32', version = WINVER): ImageSpec {
  const key = file.toLowerCase();
  return { key, path: `${dir}\\${file}`, description, product: WINPROD, company: MS, originalFileName: file, fileVersion: version };
}

const CATALOG: readonly ImageSpec[] = [
  sys('smss.exe', 'Windows Session Manager'),
  sys('wininit.exe', 'Windows Start-Up Application'),
  sys('winlogon.exe', 'Windows Logon Application'),
  sys('services.exe', 'Services and Controller app'),
  sys('lsass.exe', 'Local Security Authority Process'),
  sys('svchost.exe', 'Host Process for Windows Services'),
  sys('userinit.exe', 'Userinit Logon Application'),
  sys('explorer.exe', 'Windows Explorer', 'C:\\Windows'),
  sys('taskhostw.exe', 'Host Process for Windows Tasks'),
  sys('backgroundTaskHost.exe', 'Background Task Host'),
  sys('RuntimeBroker.exe', 'Runtime Broker'),
  sys('sihost.exe', 'Shell Infrastructure Host'),
  sys('ctfmon.exe', 'CTF Loader'),
  sys('dllhost.exe', 'COM Surrogate'),
  sys('conhost.exe', 'Console Window Host'),
  sys('smartscreen.exe', 'Windows Defender SmartScreen'),
  sys('SearchProtocolHost.exe', 'Microsoft Windows Search Protocol Host'),
  sys('SearchIndexer.exe', 'Microsoft Windows Search Indexer'),
  sys('CompatTelRunner.exe', 'Microsoft Compatibility Telemetry'),
  sys('WmiPrvSE.exe', 'WMI Provider Host', 'C:\\Windows\\System32\\wbem'),
  sys('gpscript.exe', 'Script Support for Group Policy'),
  sys('cmd.exe', 'Windows Command Processor'),
  sys('net.exe', 'Net Command'),
  sys('net1.exe', 'Net Command'),
  sys('ipconfig.exe', 'IP Configuration Utility'),
  sys('ping.exe', 'TCP/IP Ping Command'),
  sys('nslookup.exe', 'nslookup'),
  sys('whoami.exe', 'whoami - displays logged on user information'),
  sys('mmc.exe', 'Microsoft Management Console'),
  sys('mstsc.exe', 'Remote Desktop Connection'),
  sys('notepad.exe', 'Notepad'),
  sys('rundll32.exe', 'Windows host process (Rundll32)'),
  sys('certutil.exe', 'CertUtil.exe'),
  sys('spoolsv.exe', 'Spooler SubSystem App'),
  sys('dfsrs.exe', 'Distributed File System Replication'),
  sys('dns.exe', 'Domain Name System (DNS) Server'),
  {
    key: 'powershell.exe', path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', description: 'Windows PowerShell',
    product: WINPROD, company: MS, originalFileName: 'PowerShell.EXE', fileVersion: WINVER,
  },
  {
    key: 'msmpeng.exe', path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24030.9-0\\MsMpEng.exe', description: 'Antimalware Service Executable',
    product: WINPROD, company: MS, originalFileName: 'MsMpEng.exe', fileVersion: '4.18.24030.9 (WinBuild.160101.0800)',
  },
  {
    key: 'mpcmdrun.exe', path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24030.9-0\\MpCmdRun.exe', description: 'Microsoft Malware Protection Command Line Utility',
    product: WINPROD, company: MS, originalFileName: 'MpCmdRun.exe', fileVersion: '4.18.24030.9 (WinBuild.160101.0800)',
  },
  office('winword.exe', 'WINWORD.EXE', 'Microsoft Word'),
  office('excel.exe', 'EXCEL.EXE', 'Microsoft Excel'),
  office('powerpnt.exe', 'POWERPNT.EXE', 'Microsoft PowerPoint'),
  office('outlook.exe', 'OUTLOOK.EXE', 'Microsoft Outlook'),
  {
    key: 'chrome.exe', path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', description: 'Google Chrome',
    product: 'Google Chrome', company: 'Google LLC', originalFileName: 'chrome.exe', fileVersion: '122.0.6261.112',
  },
  {
    key: 'msedge.exe', path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', description: 'Microsoft Edge',
    product: 'Microsoft Edge', company: MS, originalFileName: 'msedge.exe', fileVersion: '122.0.2365.80',
  },
  {
    key: 'teams.exe', path: 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', description: 'Microsoft Teams',
    product: 'Microsoft Teams', company: MS, originalFileName: 'Teams.exe', fileVersion: '1.7.00.6058',
  },
  {
    key: 'onedrive.exe', path: 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', description: 'Microsoft OneDrive',
    product: 'Microsoft OneDrive', company: MS, originalFileName: 'OneDrive.exe', fileVersion: '24.040.0225.0001',
  },
  {
    key: 'acrord32.exe', path: 'C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe', description: 'Adobe Acrobat Reader DC',
    product: 'Adobe Acrobat Reader DC', company: 'Adobe Systems Incorporated', originalFileName: 'AcroRd32.exe', fileVersion: '23.8.20470.0',
  },
  {
    key: 'sqlservr.exe', path: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe', description: 'SQL Server Windows NT - 64 Bit',
    product: 'Microsoft SQL Server', company: MS, originalFileName: 'sqlservr.exe', fileVersion: '2019.0150.4345.05',
  },
  {
    key: 'w3wp.exe', path: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', description: 'IIS Worker Process',
    product: 'Internet Information Services', company: MS, originalFileName: 'w3wp.exe', fileVersion: WINVER,
  },
  {
    key: 'backupagent.exe', path: 'C:\\Program Files\\Contoso Backup\\BackupAgent.exe', description: 'Contoso Backup Agent',
    product: 'Contoso Backup', company: 'Contoso Software Ltd', originalFileName: 'BackupAgent.exe', fileVersion: '12.4.1.2203',
  },
];

function office(key: string, file: string, description: string): ImageSpec {
  return {
    key, path: `C:\\Program Files\\Microsoft Office\\root\\Office16\\${file}`, description,
    product: OFFICE, company: MS, originalFileName: file, fileVersion: OFFVER,
  };
}

const BY_KEY = new Map(CATALOG.map((s) => [s.key, s]));

/** The catalog entry for an image, by basename in any case. */
export function image(key: string): ImageSpec {
  const spec = BY_KEY.get(key.toLowerCase());
  if (!spec) throw new Error(`synthetic catalog has no image ${key}`);
  return spec;
}

/** A one-off executable, e.g. a dropped payload: not in the catalog, so never background. */
export function customImage(key: string, path: string, description = '-', company = '-'): ImageSpec {
  return { key, path, description, product: '-', company, originalFileName: '-', fileVersion: '-' };
}

const hashCache = new Map<string, Hashes>();

/** Deterministic hashes for one image version (a different version means a different binary). */
export function hashesOf(spec: ImageSpec): Hashes {
  const id = `${spec.key}|${spec.fileVersion}|${spec.company}`;
  let h = hashCache.get(id);
  if (!h) {
    const md5 = createHash('md5').update(`md5:${id}`).digest('hex');
    const sha1 = createHash('sha1').update(`sha1:${id}`).digest('hex');
    const sha256 = createHash('sha256').update(`sha256:${id}`).digest('hex');
    const imphash = createHash('md5').update(`imphash:${spec.key}`).digest('hex');
    h = {
      md5, sha1, sha256, imphash,
      sysmon: `SHA1=${sha1.toUpperCase()},MD5=${md5.toUpperCase()},SHA256=${sha256.toUpperCase()},IMPHASH=${imphash.toUpperCase()}`,
    };
    hashCache.set(id, h);
  }
  return h;
}

export function imagePath(spec: ImageSpec, profile: string): string {
  return spec.path.includes('{user}') ? spec.path.replace('{user}', profile) : spec.path;
}

export interface DomainSpec {
  readonly name: string;
  /** Resolved addresses; the first `cnames` answers are CNAME targets. */
  readonly cnames: readonly string[];
  readonly ips: readonly string[];
  readonly ttl: number;
}

/**
 * External address pools. Most come from the networks MaxMind's test databases know
 * (testdata/maxmind/GeoIP2-City-Test.json), so GeoIP enrichment has something to find;
 * a few are documentation ranges that no database knows, as in real traffic.
 */
const POOLS = {
  london: ['81.2.69.142', '81.2.69.143', '81.2.69.145', '81.2.69.150', '81.2.69.160', '81.2.69.171', '81.2.69.188', '81.2.69.195'],
  linkoping: ['89.160.20.112', '89.160.20.115', '89.160.20.120', '89.160.20.128', '89.160.20.141', '89.160.20.166', '89.160.20.200', '89.160.20.231'],
  milton: ['216.160.83.56', '216.160.83.58', '216.160.83.61', '216.160.83.63'],
  boxford: ['2.125.160.216', '2.125.160.217', '2.125.160.220'],
  sandiego: ['214.78.120.10', '214.78.121.44', '214.78.122.8', '214.78.123.200'],
  us: ['149.101.100.1', '149.101.100.6', '149.101.100.12'],
  docs: ['203.0.113.10', '203.0.113.45', '198.51.100.23', '198.51.100.77'],
} as const;

type Pool = keyof typeof POOLS;

function domain(name: string, pool: Pool, offset: number, count: number, cname?: string, ttl = 300): DomainSpec {
  const p = POOLS[pool];
  const ips: string[] = [];
  for (let i = 0; i < count; i++) ips.push(p[(offset + i) % p.length] as string);
  return { name, cnames: cname ? [cname] : [], ips, ttl };
}

/** Sites users browse, weighted by popularity in `BROWSING_WEIGHTS` (skewed: a few dominate). */
export const BROWSING: readonly DomainSpec[] = [
  domain('www.google.com', 'milton', 0, 2),
  domain('outlook.office365.com', 'london', 0, 3, 'outlook.ms-acdc.office.com', 30),
  domain('login.microsoftonline.com', 'london', 3, 2, 'login.mso.msidentity.com', 60),
  domain('teams.microsoft.com', 'london', 5, 2, 'teams-office-com.s-0005.s-msedge.net'),
  domain('www.office.com', 'london', 2, 2, 'www.office.com.edgekey.net'),
  domain('contoso.sharepoint.com', 'linkoping', 0, 2, '1234-ipv4v6.farm.sharepointonline.com', 60),
  domain('www.linkedin.com', 'sandiego', 0, 1, 'www-linkedin-com.l-0005.l-msedge.net'),
  domain('www.youtube.com', 'milton', 1, 2, 'youtube-ui.l.google.com'),
  domain('fonts.googleapis.com', 'milton', 2, 1),
  domain('www.bbc.co.uk', 'boxford', 0, 2, 'www.bbc.net.uk'),
  domain('github.com', 'sandiego', 1, 1, undefined, 60),
  domain('stackoverflow.com', 'us', 0, 1),
  domain('www.salesforce.com', 'sandiego', 2, 1, 'www.salesforce.com.edgekey.net'),
  domain('zoom.us', 'us', 1, 2),
  domain('www.wikipedia.org', 'linkoping', 2, 1, 'dyna.wikimedia.org'),
  domain('news.ycombinator.com', 'docs', 0, 1),
  domain('www.amazon.com', 'sandiego', 3, 1, 'tp.47cf2c8c9-frontier.amazon.com'),
  domain('cdn.jsdelivr.net', 'linkoping', 3, 2, 'jsdelivr.map.fastly.net', 60),
  domain('www.dropbox.com', 'docs', 1, 1, 'www-env.dropbox-dns.com'),
  domain('slack.com', 'us', 2, 1),
  domain('www.reuters.com', 'boxford', 1, 1),
  domain('docs.python.org', 'linkoping', 4, 1, 'dualstack.python.map.fastly.net'),
  domain('www.nytimes.com', 'docs', 2, 1, 'nytimes.map.fastly.net'),
  domain('maps.google.com', 'milton', 3, 1),
  domain('mail.google.com', 'milton', 0, 1, 'googlemail.l.google.com'),
  domain('www.adobe.com', 'sandiego', 0, 1, 'www.adobe.com.edgekey.net'),
  domain('weather.com', 'docs', 3, 1),
  domain('www.expedia.com', 'linkoping', 5, 1),
];

/** Domains Windows and installed software contact on their own. */
export const SYSTEM_DOMAINS: readonly DomainSpec[] = [
  domain('settings-win.data.microsoft.com', 'london', 4, 1, 'atm-settingsfe-prod-geo2.trafficmanager.net', 3600),
  domain('v10.events.data.microsoft.com', 'london', 6, 1, 'global.asimov.events.data.trafficmanager.net', 3600),
  domain('definitionupdates.microsoft.com', 'linkoping', 6, 1, 'definitionupdates.microsoft.com.edgesuite.net', 3600),
  domain('ctldl.windowsupdate.com', 'boxford', 2, 1, 'audownload.windowsupdate.nsatc.net', 3600),
  domain('update.googleapis.com', 'milton', 1, 1),
  domain('oneclient.sfx.ms', 'london', 7, 1, 'oneclient.sfx.ms.edgekey.net', 3600),
  domain('officeclient.microsoft.com', 'london', 1, 1, 'prod.configsvc1.live.com.akadns.net', 3600),
  domain('wdcp.microsoft.com', 'linkoping', 7, 1, 'wdcp.microsoft.akadns.net', 3600),
];
