/**
 * Writes one baseline version into the state store and makes it live: every entry
 * under the new version id, then its meta, then one write of the live pointer. Readers
 * follow the pointer, so they see either the previous complete version or the new
 * complete one, never a mix. Each version's keys carry a TTL; the previous version's
 * meta is cut to a short grace period (for readers still holding the old pointer), and
 * its entries expire with their TTL.
 */
import type { StateStore } from '../../stream/state/port.js';
import type { RarityKind } from '../../stream/rarity/keys.js';
import {
  encodeEntry, entryKey, LIVE_POINTER, metaKey, newVersionId, parseMeta,
  type BaselineEntry, type BaselineMeta,
} from '../../stream/rarity/layout.js';

export interface BaselineRow extends BaselineEntry {
  kind: RarityKind;
  key: string;
}

export interface BaselineTotals {
  window_start: string;
  window_end: string;
  baseline_days: number;
  events: number;
  total_hosts: number;
  total_users: number;
}

export interface PublishOptions {
  state: StateStore;
  engine: string;
  totals: BaselineTotals;
  /** Rows in any order, in chunks (one state call per chunk). */
  rows: AsyncIterable<readonly BaselineRow[]> | Iterable<readonly BaselineRow[]>;
  /** Lifetime of the version's keys; rebuild more often than this. */
  versionTtlSeconds: number;
  /** How long the replaced version stays readable after the switch. */
  graceSeconds: number;
  /** Entries per state call. */
  chunkSize?: number;
  now?: () => number;
  onProgress?: (written: number) => void;
  /** Test hook: runs after the entries and meta are written, before the switch. */
  beforeSwitch?: () => Promise<void>;
}

export interface PublishResult {
  version: string;
  previous: string | null;
  keys: number;
  meta: BaselineMeta;
  seconds: number;
}

export async function publishBaseline(opts: PublishOptions): Promise<PublishResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const t0 = performance.now();
  const version = newVersionId(started);
  const chunkSize = opts.chunkSize ?? 5_000;
  const keys: Partial<Record<RarityKind, number>> = {};
  const maxEvents: Partial<Record<RarityKind, number>> = {};
  let written = 0;
  let pending: (readonly [string, string])[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await opts.state.set(pending, opts.versionTtlSeconds);
    written += pending.length;
    pending = [];
    opts.onProgress?.(written);
  };

  for await (const chunk of opts.rows) {
    for (const row of chunk) {
      pending.push([entryKey(version, row.kind, row.key), encodeEntry(row)]);
      keys[row.kind] = (keys[row.kind] ?? 0) + 1;
      maxEvents[row.kind] = Math.max(maxEvents[row.kind] ?? 0, row.events);
      if (pending.length >= chunkSize) await flush();
    }
  }
  await flush();

  // The meta expires before the first entry does, so a version is never live with
  // entries already gone (which would make every key look never seen).
  const elapsed = Math.ceil((now() - started) / 1000);
  const metaTtl = Math.max(1, opts.versionTtlSeconds - elapsed - 60);
  const meta: BaselineMeta = {
    version,
    engine: opts.engine,
    ...opts.totals,
    keys,
    max_events: maxEvents,
    loaded_at: now(),
    expires_at: now() + metaTtl * 1000,
  };
  await opts.state.set([[metaKey(version), JSON.stringify(meta)]], metaTtl);
  await opts.beforeSwitch?.();

  const [previous] = await opts.state.get([LIVE_POINTER]);
  await opts.state.set([[LIVE_POINTER, version]]);
  if (previous && previous !== version) {
    const old = parseMeta((await opts.state.get([metaKey(previous)]))[0] ?? null);
    if (old) {
      const graceEnd = now() + opts.graceSeconds * 1000;
      if (graceEnd < old.expires_at) {
        await opts.state.set([[metaKey(previous), JSON.stringify({ ...old, expires_at: graceEnd })]], opts.graceSeconds);
      }
    }
  }
  return { version, previous: previous ?? null, keys: written, meta, seconds: (performance.now() - t0) / 1000 };
}
