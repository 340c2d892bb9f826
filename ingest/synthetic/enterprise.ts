/**
 * The synthetic enterprise: its domain, network plan, hosts and users. Built once from
 * the seed (a forked stream), so the same seed always yields the same organisation
 * whatever the volume of events generated over it.
 */
import { Rng } from './random.js';

export type HostRole = 'workstation' | 'dc' | 'file' | 'sql' | 'web' | 'app' | 'backup' | 'print' | 'jump';

export interface Host {
  /** Short NetBIOS name, upper case (WS-0042, DC01). */
  readonly name: string;
  readonly fqdn: string;
  readonly ip: string;
  readonly role: HostRole;
  readonly site: string;
  /** The DNS server this host asks (its site's domain controller). */
  readonly dnsServer: string;
  /** First group of every Sysmon GUID on this host (Sysmon derives it from the machine). */
  readonly guidPrefix: string;
  /** Last group of Sysmon process GUIDs on this host. */
  readonly guidSuffix: string;
  /** Index in Enterprise.hosts. */
  readonly index: number;
}

export interface User {
  /** sAMAccountName, lower case (jsmith). */
  readonly sam: string;
  readonly displayName: string;
  readonly sid: string;
  readonly department: string;
  /** IT staff: they also hold an `adm.` account and administer servers. */
  readonly isAdmin: boolean;
  /** Their own workstation; they log on interactively there every working day. */
  readonly workstation: Host;
  /** Working day in local minutes since midnight. */
  readonly startMinute: number;
  readonly endMinute: number;
  /** Servers an admin manages (RDP, type 10); empty for everyone else. */
  readonly managedServers: readonly Host[];
  /** SID of the `adm.` account (admins only; empty otherwise). */
  readonly adminSid: string;
}

export interface ServiceAccount {
  readonly sam: string;
  readonly sid: string;
  readonly servers: readonly Host[];
}

export interface NetworkRange {
  readonly cidr: string;
  readonly site: string;
  readonly description: string;
}

export interface Enterprise {
  readonly netbiosDomain: string;
  readonly dnsDomain: string;
  readonly domainSid: string;
  readonly hosts: readonly Host[];
  readonly workstations: readonly Host[];
  readonly servers: readonly Host[];
  readonly dcs: readonly Host[];
  readonly byRole: (role: HostRole) => Host;
  readonly users: readonly User[];
  readonly admins: readonly User[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly network: readonly NetworkRange[];
  /** Local time offset of the enterprise (agents write EventTime in local time). */
  readonly utcOffsetMinutes: number;
}

const FIRST = [
  'james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth',
  'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen',
  'christopher', 'lisa', 'daniel', 'nancy', 'matthew', 'betty', 'anthony', 'sandra', 'mark', 'margaret',
  'donald', 'ashley', 'steven', 'kimberly', 'andrew', 'emily', 'paul', 'donna', 'joshua', 'michelle',
  'kenneth', 'carol', 'kevin', 'amanda', 'brian', 'melissa', 'george', 'deborah', 'timothy', 'stephanie',
  'ingrid', 'lars', 'sofia', 'mateo', 'yuki', 'wei', 'priya', 'arjun', 'fatima', 'omar',
];
const LAST = [
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez',
  'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin',
  'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson',
  'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores',
  'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell', 'carter', 'roberts',
  'lindqvist', 'nakamura', 'chen', 'patel', 'okafor', 'haddad', 'novak', 'kowalski', 'rossi', 'muller',
];
const DEPARTMENTS = ['Finance', 'Sales', 'Marketing', 'Engineering', 'Legal', 'HR', 'Operations', 'Support', 'Procurement'];

/** Servers in a fixed plan: the roles the background traffic and the planted attacks rely on. */
const SERVER_PLAN: readonly { name: string; role: HostRole; ip: string }[] = [
  { name: 'DC01', role: 'dc', ip: '172.16.0.10' },
  { name: 'DC02', role: 'dc', ip: '172.16.0.11' },
  { name: 'FS01', role: 'file', ip: '172.16.10.20' },
  { name: 'SQL01', role: 'sql', ip: '172.16.10.30' },
  { name: 'WEB01', role: 'web', ip: '172.16.10.40' },
  { name: 'APP01', role: 'app', ip: '172.16.10.41' },
  { name: 'BACKUP01', role: 'backup', ip: '172.16.10.50' },
  { name: 'PRINT01', role: 'print', ip: '172.16.10.60' },
  { name: 'JUMP01', role: 'jump', ip: '172.16.10.70' },
];

export const NETWORK: readonly NetworkRange[] = [
  { cidr: '172.16.0.0/24', site: 'datacenter', description: 'domain controllers' },
  { cidr: '172.16.10.0/24', site: 'datacenter', description: 'servers' },
  { cidr: '10.10.0.0/16', site: 'hq', description: 'headquarters workstations' },
  { cidr: '10.20.0.0/16', site: 'branch', description: 'branch office workstations' },
  { cidr: '10.99.0.0/16', site: 'vpn', description: 'remote access VPN pool' },
];

export const DNS_DOMAIN = 'corp.example.com';
export const NETBIOS_DOMAIN = 'CORP';

export interface EnterpriseOptions {
  hosts: number;
  users: number;
  utcOffsetMinutes: number;
}

export function buildEnterprise(rng: Rng, opts: EnterpriseOptions): Enterprise {
  const domainSid = `S-1-5-21-${rng.range(1_000_000_000, 4_000_000_000)}-${rng.range(1_000_000_000, 4_000_000_000)}-${rng.range(100_000_000, 2_000_000_000)}`;
  const hosts: Host[] = [];
  const dcIp = (site: string): string => (site === 'branch' ? '172.16.0.11' : '172.16.0.10');
  const makeHost = (name: string, role: HostRole, ip: string, site: string): Host => {
    const host: Host = {
      name,
      fqdn: `${name}.${DNS_DOMAIN}`,
      ip,
      role,
      site,
      dnsServer: role === 'dc' ? ip : dcIp(site),
      guidPrefix: rng.hex(8),
      guidSuffix: `0000000${rng.range(1, 9)}00`.padStart(12, '0'),
      index: hosts.length,
    };
    hosts.push(host);
    return host;
  };
  for (const s of SERVER_PLAN) makeHost(s.name, s.role, s.ip, 'datacenter');
  const servers = hosts.slice();
  const workstationCount = Math.max(4, opts.hosts - servers.length);
  const workstations: Host[] = [];
  for (let i = 0; i < workstationCount; i++) {
    // About a third of the fleet sits in the branch office; 200 hosts per /24.
    const branch = i % 3 === 2;
    const n = branch ? Math.floor(i / 3) : i - Math.floor((i + 1) / 3);
    const ip = branch
      ? `10.20.${1 + Math.floor(n / 200)}.${20 + (n % 200)}`
      : `10.10.${1 + Math.floor(n / 200)}.${20 + (n % 200)}`;
    workstations.push(makeHost(`WS-${String(i + 1).padStart(4, '0')}`, 'workstation', ip, branch ? 'branch' : 'hq'));
  }

  const byRoleMap = new Map<HostRole, Host>();
  for (const h of servers) if (!byRoleMap.has(h.role)) byRoleMap.set(h.role, h);
  const byRole = (role: HostRole): Host => {
    const h = byRoleMap.get(role);
    if (!h) throw new Error(`no host with role ${role}`);
    return h;
  };
  const dcs = servers.filter((h) => h.role === 'dc');
  const manageable = servers.filter((h) => h.role !== 'dc');

  const users: User[] = [];
  const taken = new Set<string>();
  const userCount = Math.max(4, opts.users);
  // One IT admin per ~40 users, at least 3: they run cmd, powershell and net every day.
  const adminCount = Math.max(3, Math.round(userCount / 40));
  for (let i = 0; i < userCount; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let sam = `${first[0]}${last}`;
    for (let k = 2; taken.has(sam); k++) sam = `${first[0]}${last}${k}`;
    taken.add(sam);
    const isAdmin = i < adminCount;
    const start = rng.range(7 * 60, 9 * 60 + 30);
    const managed: Host[] = [];
    if (isAdmin) {
      // Each admin looks after one to three servers; they check them every morning.
      const count = 1 + rng.int(3);
      for (let k = 0; k < count; k++) {
        const s = manageable[(i * 3 + k) % manageable.length] as Host;
        if (!managed.includes(s)) managed.push(s);
      }
    }
    users.push({
      sam,
      displayName: `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`,
      sid: `${domainSid}-${1104 + i}`,
      department: isAdmin ? 'IT' : rng.pick(DEPARTMENTS),
      isAdmin,
      // Users outnumber workstations on big sites: shift workers share a desk.
      workstation: workstations[i % workstations.length] as Host,
      startMinute: start,
      endMinute: start + rng.range(8 * 60, 10 * 60),
      managedServers: managed,
      adminSid: isAdmin ? `${domainSid}-${5001 + i}` : '',
    });
  }
  const ridBase = 1104 + userCount;
  const serviceAccounts: ServiceAccount[] = [
    { sam: 'svc_backup', sid: `${domainSid}-${ridBase}`, servers: manageable.filter((s) => s.role !== 'jump') },
    { sam: 'svc_sql', sid: `${domainSid}-${ridBase + 1}`, servers: [byRole('sql')] },
    { sam: 'svc_web', sid: `${domainSid}-${ridBase + 2}`, servers: [byRole('web'), byRole('app')] },
  ];

  return {
    netbiosDomain: NETBIOS_DOMAIN,
    dnsDomain: DNS_DOMAIN,
    domainSid,
    hosts,
    workstations,
    servers,
    dcs,
    byRole,
    users,
    admins: users.filter((u) => u.isAdmin),
    serviceAccounts,
    network: NETWORK,
    utcOffsetMinutes: opts.utcOffsetMinutes,
  };
}

/** The `adm.` account IT staff use for server work (least privilege for daily mail and web). */
export function adminAccount(user: User): string {
  return `adm.${user.sam}`;
}
