/**
 * A small enterprise whose rarity is known by construction, for the baseline loop tests
 * (embedded and services): history days where some keys occur on every host and some
 * on one host only, and a new day with common keys, those rare ones again, and keys
 * never seen before. `expectedFlagged` is derived from the same tables that generate
 * the events, so the test checks the loop, not a list typed twice.
 */
import type { NightjarEvent } from '../../schema/types.js';
import { makeEvent } from '../fixtures/event.js';

export const HISTORY_START = Date.UTC(2024, 2, 1);
export const HISTORY_DAYS = 3;
const DAY = 86_400_000;
/** The day after the history: the baseline window ends here (as_of). */
export const NEW_DAY = HISTORY_START + HISTORY_DAYS * DAY;
export const AS_OF = new Date(NEW_DAY).toISOString().slice(0, 10);

export const HOSTS = Array.from({ length: 12 }, (_, i) => `ws-${String(i + 1).padStart(2, '0')}`);
const ip = (host: string) => `10.0.0.${HOSTS.indexOf(host) + 1}`;

interface Proc { parent: string; image: string; path: string; sha256: string }
const proc = (parent: string, image: string, dir: string, tag: string): Proc => ({
  parent, image, path: `${dir}\\${image}`, sha256: tag.repeat(64).slice(0, 64),
});

/** Everywhere in the history. */
const COMMON_PROCS = [proc('explorer.exe', 'chrome.exe', 'C:\\Program Files\\Google\\Chrome', 'a'), proc('services.exe', 'svchost.exe', 'C:\\Windows\\System32', 'b')];
/** On one host only in the history. */
const RARE_PROC = proc('powershell.exe', 'rundll32.exe', 'C:\\Windows\\System32', 'c');
/** Never in the history. */
const NEW_PROC = proc('winword.exe', 'certutil.exe', 'C:\\Windows\\System32', 'd');

const COMMON_DOMAINS = ['www.google.com', 'outlook.office365.com'];
const RARE_DOMAIN = 'cdn.rarely-used.co.uk';
const NEW_DOMAIN = 'x7f3.evil-c2.net';
const SERVER = '10.9.9.9';

function procEvent(ts: number, host: string, p: Proc, user = 'alice'): NightjarEvent {
  return makeEvent({
    ts, host, user, event_type: 'process_start', dataset: 'sysmon', source: 'windows',
    process: p.image, process_path: p.path, parent_process: p.parent, sha256: p.sha256, origin: `hist-${host}`,
  });
}

function logonEvent(ts: number, host: string, user: string, logonType = 3): NightjarEvent {
  return makeEvent({ ts, host, user, event_type: 'logon', dataset: 'security', logon_type: logonType, outcome: 'success', src_ip: ip(host), origin: `hist-${host}` });
}

function connEvent(ts: number, src: string, dst: string, port = 445): NightjarEvent {
  return makeEvent({ ts, host: null, source: 'zeek', dataset: 'zeek.conn', event_type: 'network_connection', src_ip: src, dst_ip: dst, dst_port: port, process: null, origin: 'zeek-conn' });
}

function dnsEvent(ts: number, host: string, name: string): NightjarEvent {
  return makeEvent({ ts, host, source: 'windows', dataset: 'sysmon', event_type: 'dns_query', dns_query: name, process: 'chrome.exe', origin: `hist-${host}` });
}

/** History: every host runs the common processes, logs on as its own user, talks to the server, resolves the common names every day. */
export function historyEvents(): NightjarEvent[] {
  const out: NightjarEvent[] = [];
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const day = HISTORY_START + d * DAY;
    HOSTS.forEach((host, h) => {
      const t = day + 3_600_000 * (8 + (h % 8));
      for (const p of COMMON_PROCS) out.push(procEvent(t, host, p, `user${h}`));
      out.push(logonEvent(t + 1000, host, `user${h}`));
      out.push(logonEvent(t + 2000, host, `user${h}`));
      out.push(logonEvent(t + 3000, host, `user${h}`));
      out.push(connEvent(t + 4000, ip(host), SERVER));
      for (const name of COMMON_DOMAINS) out.push(dnsEvent(t + 5000, host, name));
    });
  }
  // the rare ones: once, on one host
  const host = HOSTS[3]!;
  out.push(procEvent(HISTORY_START + DAY + 5_000_000, host, RARE_PROC, 'user3'));
  out.push(dnsEvent(HISTORY_START + DAY + 5_100_000, host, RARE_DOMAIN));
  out.push(logonEvent(HISTORY_START + DAY + 5_200_000, host, 'admin', 10));
  out.push(connEvent(HISTORY_START + DAY + 5_300_000, ip(host), ip(HOSTS[7]!), 3389));
  return out;
}

/** The new day: common activity, the rare keys again on another host, and never-seen keys. */
export function newDayEvents(): NightjarEvent[] {
  const t = NEW_DAY + 9 * 3_600_000;
  const host = HOSTS[5]!;
  return [
    procEvent(t, HOSTS[0]!, COMMON_PROCS[0]!, 'user0'),
    procEvent(t + 1, HOSTS[1]!, COMMON_PROCS[1]!, 'user1'),
    logonEvent(t + 2, HOSTS[2]!, 'user2'),
    connEvent(t + 3, ip(HOSTS[2]!), SERVER),
    dnsEvent(t + 4, HOSTS[0]!, COMMON_DOMAINS[0]!),
    // rare in the history
    procEvent(t + 10, host, RARE_PROC, 'user5'),
    dnsEvent(t + 11, host, RARE_DOMAIN),
    logonEvent(t + 12, HOSTS[3]!, 'admin', 10),
    connEvent(t + 13, ip(HOSTS[3]!), ip(HOSTS[7]!), 3389),
    // never seen
    procEvent(t + 20, host, NEW_PROC, 'user5'),
    dnsEvent(t + 21, host, NEW_DOMAIN),
    logonEvent(t + 22, HOSTS[8]!, 'user0'),
    connEvent(t + 23, ip(HOSTS[8]!), ip(HOSTS[0]!), 22),
  ];
}

const procKeys = (p: Proc) => [`process_image:${p.path.toLowerCase()}`, `process_hash:sha256:${p.sha256}`, `parent_child:${p.parent}>${p.image}`];

/** kind:key of everything the new day should flag, and how. */
export function expectedFlagged(): Map<string, 'rare' | 'never_seen'> {
  const m = new Map<string, 'rare' | 'never_seen'>();
  for (const k of procKeys(RARE_PROC)) m.set(k, 'rare');
  m.set(`domain:${RARE_DOMAIN}`, 'rare').set('registered_domain:rarely-used.co.uk', 'rare');
  m.set(`logon:admin@${HOSTS[3]}`, 'rare');
  m.set(`host_pair:${ip(HOSTS[3]!)}>${ip(HOSTS[7]!)}`, 'rare');
  for (const k of procKeys(NEW_PROC)) m.set(k, 'never_seen');
  m.set(`domain:${NEW_DOMAIN}`, 'never_seen').set('registered_domain:evil-c2.net', 'never_seen');
  m.set(`logon:user0@${HOSTS[8]}`, 'never_seen');
  m.set(`host_pair:${ip(HOSTS[8]!)}>${ip(HOSTS[0]!)}`, 'never_seen');
  return m;
}

/** kind:key → verdict of every rarity flag raised on the events (an event has one key per kind). */
export function flaggedKeys(events: readonly NightjarEvent[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of events) {
    for (const f of e.flags) {
      const match = /^(never_seen|rare)_(.+)$/.exec(f.rule);
      if (!match) continue;
      const r = (e.rarity ?? []).find((x) => x.kind === match[2]);
      if (!r) throw new Error(`flag ${f.rule} without a rarity record of its kind`);
      m.set(`${r.kind}:${r.key}`, match[1]!);
    }
  }
  return m;
}
