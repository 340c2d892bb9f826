/**
 * Detection: first-time occurrences. The count stage marks a key first_seen on the event
 * that counted it first; this turns those marks into flags, but only where the state
 * has history for the entity: a host's first event starts its learning window, and until
 * the window has passed everything is "new" and nothing is flagged. That keeps a cold
 * start (or a new host) from flooding analysts.
 */
import type { Flag, NightjarEvent, Stat } from '../../schema/types.js';

const RULES: Record<string, { rule: string; score: number; describe: (e: NightjarEvent, s: Stat) => string }> = {
  logon: {
    rule: 'first_seen_logon', score: 50,
    describe: (e) => `first logon of ${e.user} to ${e.host}${e.logon_type !== null ? ` (logon type ${e.logon_type})` : ''}${e.src_ip ? ` from ${e.src_ip}` : ''}`,
  },
  process_image: {
    rule: 'first_seen_process_image', score: 30,
    describe: (e) => `first execution of ${e.process_path} (on ${e.host ?? 'unknown host'})`,
  },
  process_hash: {
    rule: 'first_seen_process_hash', score: 35,
    describe: (e, s) => `first execution of ${e.process ?? 'an image'} with ${s.key.slice(0, 24)}… (on ${e.host ?? 'unknown host'})`,
  },
  parent_child: {
    rule: 'first_seen_parent_child', score: 45,
    describe: (e) => `${e.parent_process} started ${e.process} for the first time (on ${e.host ?? 'unknown host'})`,
  },
  host_pair: {
    rule: 'first_seen_host_pair', score: 30,
    describe: (e) => `first connection from ${e.src_ip} to ${e.dst_ip}${e.dst_port !== null ? `:${e.dst_port}` : ''}`,
  },
};

/** The entity whose history decides whether "first seen" is meaningful. */
export function historyEntity(e: NightjarEvent): string {
  return e.host ?? e.src_ip ?? 'global';
}

export function firstSeenFlags(e: NightjarEvent, historyStartMs: number | undefined, learningWindowMs: number, kinds: ReadonlySet<string>): Flag[] {
  if (historyStartMs === undefined || e.ts - historyStartMs < learningWindowMs) return [];
  const flags: Flag[] = [];
  for (const s of e.stats) {
    if (!s.first_seen || !kinds.has(s.kind)) continue;
    const r = RULES[s.kind];
    if (r) flags.push({ rule: r.rule, score: r.score, reason: r.describe(e, s) });
  }
  return flags;
}
