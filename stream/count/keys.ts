/**
 * Which keys of an event are counted, as pure functions. A key is what the rarity
 * logic asks "have we seen this before, and how often": a user logging on to a host, a
 * process image, an image hash, a parent→child pair, a source→destination host pair.
 * The same kinds and key formats are used by the batch baselines (models/), so live
 * counts and baselines describe the same things.
 */
import type { NightjarEvent } from '../../schema/types.js';

export type StatKind = 'logon' | 'process_image' | 'process_hash' | 'parent_child' | 'host_pair';
export const STAT_KINDS: readonly StatKind[] = ['logon', 'process_image', 'process_hash', 'parent_child', 'host_pair'];

export interface StatKey {
  kind: StatKind;
  key: string;
}

/**
 * Machine accounts (name$) and Windows' built-in service identities log on everywhere all
 * the time; counting their logons only adds noise to "who logs on where".
 */
export function isServiceAccount(user: string): boolean {
  return user.endsWith('$') || /^(system|local service|network service|anonymous logon|dwm-\d+|umfd-\d+|-)$/.test(user);
}

/**
 * Internal addresses (RFC 1918, link-local, IPv6 unique-local). Host pairs are counted
 * between internal addresses only: lateral movement is the question; a laptop's first
 * visit to a web server's address is not. models/macros/network.sql holds the same
 * pattern, so baselines count the same pairs.
 */
export const INTERNAL_IP = /^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|169\.254\.|f[cd][0-9a-f]{2}:|fe80:)/i;

/**
 * The key of a process image: its lower-case path, with the profile folder of
 * C:\Users\<name>\ replaced by `*`, so that OneDrive or Teams running from each user's
 * AppData count as one image and not as hundreds of rare ones. The baseline model
 * (stg_window_events.sql) computes the same key.
 */
export function imageKey(path: string): string {
  return path.toLowerCase().replace(/^([a-z]:\\users\\)[^\\]+\\/, '$1*\\');
}

export function statKeys(e: NightjarEvent): StatKey[] {
  const keys: StatKey[] = [];
  if (e.event_type === 'process_start') {
    if (e.process_path) keys.push({ kind: 'process_image', key: imageKey(e.process_path) });
    const hash = e.sha256 ? `sha256:${e.sha256}` : e.sha1 ? `sha1:${e.sha1}` : e.md5 ? `md5:${e.md5}` : null;
    if (hash) keys.push({ kind: 'process_hash', key: hash });
    if (e.parent_process && e.process) keys.push({ kind: 'parent_child', key: `${e.parent_process}>${e.process}` });
  } else if (e.event_type === 'logon' && e.outcome !== 'failure' && e.user && e.host && !isServiceAccount(e.user)) {
    keys.push({ kind: 'logon', key: `${e.user}@${e.host}` });
  } else if (e.event_type === 'network_connection' && e.src_ip && e.dst_ip && INTERNAL_IP.test(e.src_ip) && INTERNAL_IP.test(e.dst_ip)) {
    keys.push({ kind: 'host_pair', key: `${e.src_ip}>${e.dst_ip}` });
  }
  return keys;
}

export function stateKey(k: StatKey): string {
  return `cnt:${k.kind}:${k.key}`;
}
