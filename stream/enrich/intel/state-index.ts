/**
 * The indicator set in the state store (Redis in scale-out), shared by every worker.
 *
 * Layout, all under the store's own prefix:
 *   intel:current              → the version readers use
 *   intel:<v>:meta             → {count, ranges, key_chunks, previous, imported_at, fingerprint}
 *   intel:<v>:i:<type>|<value> → one indicator, JSON
 *   intel:<v>:ranges           → the CIDR indicators, JSON (few; each worker keeps them in memory)
 *   intel:<v>:keys:<n>         → the version's keys, in chunks, so the version can be deleted
 *
 * An import writes a whole new version, then switches `intel:current` with one write:
 * readers never see a half-loaded set. The version before the previous one is deleted
 * then; the previous one stays, because workers switch only on their next refresh.
 */
import type { StateStore } from '../../state/port.js';
import { CidrTable } from '../cidr-table.js';
import { indicatorKey, type Indicator } from './indicator.js';
import type { IndicatorLookup } from './lookup-port.js';

const CURRENT = 'intel:current';
const LOCK = 'intel:import-lock';
const CHUNK = 5_000;

export interface IntelVersionMeta {
  count: number;
  ranges: number;
  key_chunks: number;
  previous: string | null;
  imported_at: number;
  fingerprint: string | null;
}

const metaKey = (v: string) => `intel:${v}:meta`;
const rangesKey = (v: string) => `intel:${v}:ranges`;
const keysKey = (v: string, n: number) => `intel:${v}:keys:${n}`;
export const storedIndicatorKey = (v: string, key: string) => `intel:${v}:i:${key}`;

export async function currentVersion(store: StateStore): Promise<{ version: string; meta: IntelVersionMeta } | null> {
  const [version] = await store.get([CURRENT]);
  if (!version) return null;
  const [meta] = await store.get([metaKey(version)]);
  return meta ? { version, meta: JSON.parse(meta) as IntelVersionMeta } : null;
}

/**
 * Writes the indicators as a new version and makes it current. `fingerprint` names the
 * feed content: when the current version already has it, nothing is written (several
 * workers noticing the same changed feed import it once).
 */
export async function importIndicators(
  store: StateStore,
  indicators: Iterable<Indicator>,
  opts: { fingerprint?: string | null; onProgress?: (written: number) => void; lockSeconds?: number } = {},
): Promise<{ version: string; count: number; skipped: boolean }> {
  const fingerprint = opts.fingerprint ?? null;
  const before = await currentVersion(store);
  if (fingerprint && before?.meta.fingerprint === fingerprint) return { version: before.version, count: before.meta.count, skipped: true };
  const version = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const [locked] = await store.setIfAbsent([[LOCK, version]], opts.lockSeconds ?? 900);
  if (!locked) {
    // another worker is importing; it will switch the version, and readers follow
    return { version: before?.version ?? '', count: before?.meta.count ?? 0, skipped: true };
  }
  try {
    const ranges: Indicator[] = [];
    let entries: [string, string][] = [];
    let keys: string[] = [];
    let count = 0;
    let chunks = 0;
    const flush = async () => {
      if (entries.length) await store.set(entries);
      if (keys.length) await store.set([[keysKey(version, chunks++), JSON.stringify(keys)]]);
      entries = [];
      keys = [];
      opts.onProgress?.(count);
    };
    for (const i of indicators) {
      count++;
      if (i.type === 'cidr') {
        ranges.push(i);
        continue;
      }
      const key = storedIndicatorKey(version, indicatorKey(i.type, i.value));
      entries.push([key, JSON.stringify(i)]);
      keys.push(key);
      if (entries.length >= CHUNK) await flush();
    }
    await flush();
    const meta: IntelVersionMeta = { count, ranges: ranges.length, key_chunks: chunks, previous: before?.version ?? null, imported_at: Date.now(), fingerprint };
    await store.set([[rangesKey(version), JSON.stringify(ranges)], [metaKey(version), JSON.stringify(meta)]]);
    await store.set([[CURRENT, version]]);
    if (before?.meta.previous) await deleteVersion(store, before.meta.previous);
    return { version, count, skipped: false };
  } finally {
    await store.delete([LOCK]);
  }
}

export async function deleteVersion(store: StateStore, version: string): Promise<void> {
  const [metaText] = await store.get([metaKey(version)]);
  if (!metaText) return;
  const meta = JSON.parse(metaText) as IntelVersionMeta;
  for (let n = 0; n < meta.key_chunks; n++) {
    const [chunk] = await store.get([keysKey(version, n)]);
    if (chunk) await store.delete(JSON.parse(chunk) as string[]);
  }
  await store.delete([...Array.from({ length: meta.key_chunks }, (_, n) => keysKey(version, n)), rangesKey(version), metaKey(version)]);
}

/** Reads the current version: one batched `get` per batch of probes, ranges held in memory. */
export class StateStoreIndicatorLookup implements IndicatorLookup {
  readonly name = 'state-store';
  private version: string | null = null;
  private ranges = new CidrTable<Indicator>();
  private gen = 0;

  constructor(private readonly store: StateStore, private readonly beforeRefresh: () => Promise<void> = async () => {}) {}

  get currentVersion(): string | null {
    return this.version;
  }

  async refresh(): Promise<void> {
    await this.beforeRefresh();
    const [version] = await this.store.get([CURRENT]);
    if (!version || version === this.version) return;
    const [rangesText] = await this.store.get([rangesKey(version)]);
    const ranges = new CidrTable<Indicator>();
    for (const r of JSON.parse(rangesText ?? '[]') as Indicator[]) ranges.add(r.value, r);
    this.ranges = ranges;
    this.version = version;
    this.gen++;
  }

  async getMany(keys: readonly string[]): Promise<(Indicator | null)[]> {
    const version = this.version;
    if (!version || keys.length === 0) return keys.map(() => null);
    const values = await this.store.get(keys.map((k) => storedIndicatorKey(version, k)));
    return values.map((v) => (v ? (JSON.parse(v) as Indicator) : null));
  }

  lookupRange(ip: string): Indicator | null {
    return this.ranges.lookup(ip) ?? null;
  }

  generation(): number {
    return this.gen;
  }
}
