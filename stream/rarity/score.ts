/**
 * Rarity of one key of one event against the live baseline plus the occurrences since
 * the baseline went live, as pure functions: the score, the verdict, and the flag with a
 * reason a human reads at a glance.
 *
 * Spread is measured in hosts for the kinds that can occur on any host (images, hashes,
 * parent→child pairs, DNS names) against the fleet size, and in events for the kinds
 * whose key already names one host (user@host logons, src>dst host pairs) against the
 * busiest key of that kind:
 *
 *   score = 1 − ln(1 + spread) / ln(1 + scale)     (1 never seen, 0 everywhere)
 */
import type { Flag, NightjarEvent, Rarity } from '../../schema/types.js';
import type { RarityKind, RarityKey } from './keys.js';
import type { BaselineEntry, BaselineMeta } from './layout.js';

export interface RarityThresholds {
  /** Kinds that may raise flags (all are scored). */
  kinds: ReadonlySet<string>;
  /** Host-measured kinds: rare when seen on at most this many hosts in the window. */
  rareMaxHosts: number;
  /** Event-measured kinds (logon, host_pair): rare when seen at most this many times. */
  rareMaxEvents: number;
  /** Below this many hosts in the baseline nothing is judged rare: the fleet is too small to say. */
  minTotalHosts: number;
  /** A key is flagged on its first N occurrences since the baseline, then only scored. */
  maxFlagsPerKey: number;
}

export const DEFAULT_THRESHOLDS: RarityThresholds = {
  kinds: new Set(['process_image', 'process_hash', 'parent_child', 'logon', 'host_pair', 'domain', 'registered_domain']),
  rareMaxHosts: 2,
  rareMaxEvents: 2,
  minTotalHosts: 5,
  maxFlagsPerKey: 3,
};

const HOST_MEASURED: ReadonlySet<RarityKind> = new Set(['process_image', 'process_hash', 'parent_child', 'domain', 'registered_domain']);

export function isHostMeasured(kind: RarityKind): boolean {
  return HOST_MEASURED.has(kind);
}

export type Verdict = 'never_seen' | 'rare' | 'common';

export interface Assessment {
  rarity: Rarity;
  verdict: Verdict;
  /** Occurrences in the baseline window. */
  baselineEvents: number;
  /** Occurrences since the baseline went live, this one included. */
  since: number;
}

export function rarityScore(spread: number, scale: number): number {
  if (spread <= 0) return 1;
  const s = 1 - Math.log1p(spread) / Math.log1p(Math.max(scale, spread));
  return Math.round(Math.min(1, Math.max(0, s)) * 1000) / 1000;
}

/**
 * An event-measured key (a user's logon to a host, a host pair) is rare when it occurred
 * at most `rareMaxEvents` times and less often than every other day of the window: a
 * daily routine is not rare, however short the window.
 */
export function isRareEventCount(events: number, baselineDays: number, t: RarityThresholds): boolean {
  return events <= t.rareMaxEvents && events * 2 < baselineDays;
}

/**
 * `since` counts this key's occurrences since the baseline went live, this one
 * included (so ≥ 1).
 */
export function assess(k: RarityKey, entry: BaselineEntry | null, since: number, meta: BaselineMeta, t: RarityThresholds): Assessment {
  const hostMeasured = isHostMeasured(k.kind);
  const spread = entry === null ? 0 : hostMeasured ? entry.hosts : entry.events;
  const scale = hostMeasured ? meta.total_hosts : (meta.max_events[k.kind] ?? 0);
  const baselineEvents = entry?.events ?? 0;
  const rarity: Rarity = {
    kind: k.kind,
    key: k.key,
    events: baselineEvents + since,
    hosts: entry?.hosts ?? 0,
    total_hosts: meta.total_hosts,
    score: rarityScore(spread, scale),
  };
  let verdict: Verdict = 'common';
  if (meta.total_hosts >= t.minTotalHosts) {
    if (entry === null) verdict = 'never_seen';
    else if (hostMeasured ? spread <= t.rareMaxHosts : isRareEventCount(spread, meta.baseline_days, t)) verdict = 'rare';
  }
  return { rarity, verdict, baselineEvents, since };
}

/** Flag weight per kind, scaled by the rarity score. */
const WEIGHT: Record<RarityKind, number> = {
  parent_child: 60, process_hash: 55, logon: 55, process_image: 50, registered_domain: 50, domain: 40, host_pair: 40,
};

const fmt = new Intl.NumberFormat('en-US');
const times = (n: number) => `${fmt.format(n)} time${n === 1 ? '' : 's'}`;

function subject(k: RarityKey, e: NightjarEvent): string {
  switch (k.kind) {
    case 'parent_child':
      return k.key.replace('>', ' → ');
    case 'process_hash':
      return `${e.process ?? 'image'} ${k.key.slice(0, 19)}…`;
    case 'domain':
      return `DNS name ${k.key}`;
    case 'registered_domain':
      return `domain ${k.key}`;
    default:
      return k.key;
  }
}

/** "powershell.exe → rundll32.exe seen on 1 of 2,345 hosts in the last 30 days (now on ws-042)" */
export function reason(k: RarityKey, e: NightjarEvent, a: Assessment, meta: BaselineMeta): string {
  const window = `in the last ${meta.baseline_days} day${meta.baseline_days === 1 ? '' : 's'}`;
  const never = a.verdict === 'never_seen';
  let text: string;
  if (k.kind === 'logon') {
    const at = k.key.lastIndexOf('@');
    const [user, host] = [k.key.slice(0, at), k.key.slice(at + 1)];
    text = never ? `${user} never logged on to ${host} ${window}` : `${user} logged on to ${host} only ${times(a.baselineEvents)} ${window}`;
  } else if (k.kind === 'host_pair') {
    const [src, dst] = k.key.split('>');
    text = never ? `${src} never connected to ${dst} ${window}` : `${src} connected to ${dst} only ${times(a.baselineEvents)} ${window}`;
  } else {
    const hosts = fmt.format(meta.total_hosts);
    text = never
      ? `${subject(k, e)} never seen on any of ${hosts} hosts ${window}`
      : `${subject(k, e)} seen on ${fmt.format(a.rarity.hosts)} of ${hosts} hosts ${window}`;
    if (e.host) text += ` (now on ${e.host})`;
  }
  return a.since > 1 ? `${text}; ${times(a.since)} since` : text;
}

export function rarityFlag(k: RarityKey, e: NightjarEvent, a: Assessment, meta: BaselineMeta, t: RarityThresholds): Flag | null {
  if (a.verdict === 'common' || !t.kinds.has(k.kind) || a.since > t.maxFlagsPerKey) return null;
  return {
    rule: `${a.verdict}_${k.kind}`,
    score: Math.max(1, Math.round(WEIGHT[k.kind] * a.rarity.score)),
    reason: reason(k, e, a, meta),
  };
}
