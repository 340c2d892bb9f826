/**
 * The cache shared by the look-up enrichments (reverse DNS, LDAP): an in-process LRU (L1)
 * in front of the state store (L2: Redis in scale-out, so workers share answers) in front
 * of the slow source, which the stage queries itself.
 *
 * Per batch: `getMany` makes one L1 pass and at most one state-store `get` for what L1
 * lacks; `put` fills L1 at once and queues the L2 write; `flush` writes the queue with one
 * `set` per distinct TTL (usually two: positive and negative answers). Values carry their
 * expiry time, so a value promoted from L2 to L1 keeps its remaining lifetime instead of
 * getting a fresh one.
 */
import type { StateStore } from '../state/port.js';
import { Lru } from '../../core/lru.js';
import { metrics } from '../../core/metrics.js';

export interface TieredCacheOptions<V> {
  /** Metric label and log name, e.g. `reverse_dns`. */
  name: string;
  /** Key prefix in the state store, e.g. `rdns:`. */
  prefix: string;
  l1Size: number;
  /** Null disables L2 (the L1 still works). */
  state: StateStore | null;
  encode(value: V): unknown;
  /** Returns undefined for a value this version cannot read (treated as a miss). */
  decode(raw: unknown): V | undefined;
}

interface Stored {
  v: unknown;
  /** expiry, epoch ms */
  x: number;
}

export class TieredCache<V> {
  private readonly l1: Lru<V>;
  private readonly pending = new Map<string, { value: V; expires: number; ttlMs: number }>();
  l2Hits = 0;
  l2Misses = 0;

  constructor(private readonly opts: TieredCacheOptions<V>, private readonly now: () => number = Date.now) {
    this.l1 = new Lru(opts.l1Size);
  }

  get l1Hits(): number {
    return this.l1.hits;
  }
  get l1Misses(): number {
    return this.l1.misses;
  }

  /** Looks keys up in L1, then (in one call) in L2. Keys must be distinct. */
  async getMany(keys: readonly string[]): Promise<{ found: Map<string, V>; missing: string[] }> {
    const now = this.now();
    const found = new Map<string, V>();
    const l1Missing: string[] = [];
    for (const key of keys) {
      const v = this.l1.get(key, now);
      if (v === undefined) l1Missing.push(key);
      else found.set(key, v);
    }
    metrics.inc('nightjar_cache_hits_total', { cache: this.opts.name, tier: 'l1' }, keys.length - l1Missing.length);
    metrics.inc('nightjar_cache_misses_total', { cache: this.opts.name, tier: 'l1' }, l1Missing.length);
    if (l1Missing.length === 0 || !this.opts.state) return { found, missing: l1Missing };

    const raws = await this.opts.state.get(l1Missing.map((k) => this.opts.prefix + k));
    const missing: string[] = [];
    l1Missing.forEach((key, i) => {
      const value = this.decodeStored(raws[i] ?? null, now);
      if (value === undefined) {
        missing.push(key);
      } else {
        found.set(key, value.value);
        this.l1.set(key, value.value, value.expires - now, now);
      }
    });
    this.l2Hits += l1Missing.length - missing.length;
    this.l2Misses += missing.length;
    metrics.inc('nightjar_cache_hits_total', { cache: this.opts.name, tier: 'l2' }, l1Missing.length - missing.length);
    metrics.inc('nightjar_cache_misses_total', { cache: this.opts.name, tier: 'l2' }, missing.length);
    return { found, missing };
  }

  /** Caches a value from the slow source: in L1 now, in L2 at the next flush. */
  put(key: string, value: V, ttlMs: number): void {
    const now = this.now();
    this.l1.set(key, value, ttlMs, now);
    if (this.opts.state) this.pending.set(key, { value, expires: now + ttlMs, ttlMs });
  }

  /** L1 only: for short-lived markers such as "the source failed, do not ask again yet". */
  putLocal(key: string, value: V, ttlMs: number): void {
    this.l1.set(key, value, ttlMs, this.now());
  }

  /** Writes queued values to L2: one `set` per distinct TTL. */
  async flush(): Promise<void> {
    const state = this.opts.state;
    if (!state || this.pending.size === 0) return;
    const byTtl = new Map<number, [string, string][]>();
    for (const [key, p] of this.pending) {
      const stored: Stored = { v: this.opts.encode(p.value), x: p.expires };
      const list = byTtl.get(p.ttlMs) ?? [];
      list.push([this.opts.prefix + key, JSON.stringify(stored)]);
      byTtl.set(p.ttlMs, list);
    }
    this.pending.clear();
    for (const [ttlMs, entries] of byTtl) await state.set(entries, Math.max(1, Math.ceil(ttlMs / 1000)));
  }

  /** Hit ratio over both tiers since start: hits anywhere / look-ups. */
  hitRatio(): number {
    const lookups = this.l1.hits + this.l1.misses;
    return lookups === 0 ? 0 : (this.l1.hits + this.l2Hits) / lookups;
  }

  private decodeStored(raw: string | null, now: number): { value: V; expires: number } | undefined {
    if (raw === null) return undefined;
    let stored: Stored;
    try {
      stored = JSON.parse(raw) as Stored;
    } catch {
      return undefined;
    }
    if (typeof stored !== 'object' || stored === null || typeof stored.x !== 'number' || stored.x <= now) return undefined;
    const value = this.opts.decode(stored.v);
    return value === undefined ? undefined : { value, expires: stored.x };
  }
}
