/**
 * Detection: password spraying. Failed logons are grouped by their source (address, or
 * workstation when the address is missing) in fixed windows of event time; the distinct
 * users tried per source and window are counted with HyperLogLog in the state store, so
 * several workers share the count. A source that tries at least `minDistinctUsers` users
 * in one window flags its failures, and a successful logon from that source in the same
 * window flags harder: the spray worked.
 */
import type { Flag, NightjarEvent } from '../../schema/types.js';
import type { StateStore } from '../state/port.js';

export interface SprayConfig {
  windowMs: number;
  minDistinctUsers: number;
}

function sprayKey(e: NightjarEvent, windowMs: number): string | null {
  if (e.event_type !== 'logon' || !e.user) return null;
  const source = e.src_ip && e.src_ip !== '-' && e.src_ip !== '127.0.0.1' && e.src_ip !== '::1' ? e.src_ip : null;
  if (!source) return null;
  return `spray:${source}:${Math.floor(e.ts / windowMs)}`;
}

export async function passwordSprayFlags(events: readonly NightjarEvent[], state: StateStore, cfg: SprayConfig): Promise<Map<number, Flag>> {
  const keyOf: (string | null)[] = events.map((e) => sprayKey(e, cfg.windowMs));
  const adds: [string, string][] = [];
  keyOf.forEach((k, i) => {
    if (k && events[i]!.outcome === 'failure') adds.push([k, events[i]!.user!]);
  });
  const distinctKeys = [...new Set(keyOf.filter((k): k is string => k !== null))];
  const flags = new Map<number, Flag>();
  if (distinctKeys.length === 0) return flags;
  if (adds.length > 0) await state.hllAdd(adds);
  const counts = await state.hllCount(distinctKeys);
  const countOf = new Map(distinctKeys.map((k, i) => [k, counts[i]!]));
  keyOf.forEach((k, i) => {
    if (!k) return;
    const n = countOf.get(k)!;
    if (n < cfg.minDistinctUsers) return;
    const e = events[i]!;
    const minutes = Math.round(cfg.windowMs / 60_000);
    flags.set(
      i,
      e.outcome === 'failure'
        ? { rule: 'password_spray', score: 70, reason: `${e.src_ip} failed to log on as ${n} different users within ${minutes} min (this one: ${e.user} on ${e.host ?? 'unknown host'})` }
        : { rule: 'logon_after_password_spray', score: 90, reason: `${e.user} logged on to ${e.host ?? 'unknown host'} from ${e.src_ip}, which failed as ${n} different users within ${minutes} min` },
    );
  });
  return flags;
}
