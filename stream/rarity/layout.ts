/**
 * How baselines live in the state store, shared by the loader that writes them
 * (warehouse/baselines/publish.ts) and the rarity stage that reads them.
 *
 *   bl:live                       → the live version id (the one pointer readers follow)
 *   bl:<v>:meta                   → JSON BaselineMeta of version v
 *   bl:<v>:k:<kind>:<key>         → "events,hosts,first_ms,last_ms"
 *   bl:<v>:since:<kind>:<key>     → occurrences since version v went live (counter)
 *
 * A version is written completely, then the pointer is switched with one write: a
 * reader that follows the pointer only ever reads a complete, immutable version.
 * Every key of a version carries a TTL, so old versions expire on their own.
 */
import type { RarityKind } from './keys.js';

export const LIVE_POINTER = 'bl:live';

export interface BaselineMeta {
  version: string;
  /** Engine that built it: duckdb or trino. */
  engine: string;
  /** Window [window_start, window_end) as YYYY-MM-DD. */
  window_start: string;
  window_end: string;
  baseline_days: number;
  events: number;
  total_hosts: number;
  total_users: number;
  /** Keys written per kind. */
  keys: Partial<Record<RarityKind, number>>;
  /** The largest event count of any key per kind: the scale of event-measured kinds. */
  max_events: Partial<Record<RarityKind, number>>;
  loaded_at: number;
  /** When the version's keys expire (epoch ms); live counters expire with them. */
  expires_at: number;
}

export interface BaselineEntry {
  events: number;
  hosts: number;
  first_seen: number;
  last_seen: number;
}

export function metaKey(version: string): string {
  return `bl:${version}:meta`;
}

export function entryKey(version: string, kind: string, key: string): string {
  return `bl:${version}:k:${kind}:${key}`;
}

export function sinceKey(version: string, kind: string, key: string): string {
  return `bl:${version}:since:${kind}:${key}`;
}

export function encodeEntry(e: BaselineEntry): string {
  return `${e.events},${e.hosts},${e.first_seen},${e.last_seen}`;
}

export function decodeEntry(value: string | null): BaselineEntry | null {
  if (value === null) return null;
  const [events, hosts, first, last] = value.split(',').map(Number);
  if (!Number.isFinite(events) || !Number.isFinite(hosts)) return null;
  return { events: events!, hosts: hosts!, first_seen: first ?? 0, last_seen: last ?? 0 };
}

export function parseMeta(value: string | null): BaselineMeta | null {
  if (value === null) return null;
  try {
    const meta = JSON.parse(value) as BaselineMeta;
    return typeof meta.version === 'string' && typeof meta.total_hosts === 'number' ? meta : null;
  } catch {
    return null;
  }
}

/** Version ids sort by creation time: "v" + base-36 milliseconds + a random suffix. */
export function newVersionId(now = Date.now()): string {
  return `v${now.toString(36).padStart(9, '0')}${Math.random().toString(36).slice(2, 6)}`;
}
