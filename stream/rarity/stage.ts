/**
 * The rarity stage: judges each event's keys (image, hash, parent→child pair,
 * user@host, host pair, DNS name and domain) against the live baseline version plus the
 * occurrences since it went live, records a Rarity per key and flags the never-seen and
 * the rare.
 *
 * State access per batch: one increment of the since-counters; for keys this worker has
 * not met yet in this version, also one get of their baseline entries and one
 * setIfAbsent that gives their since-counters the version's TTL. A version's entries
 * never change, so they are kept in an in-process LRU (L1) until the version changes.
 * The live pointer is read once per `pointerRefreshMs`, not per batch, and a whole
 * batch is judged against one version, so a switch mid-batch never mixes versions.
 */
import type { NightjarEvent } from '../../schema/types.js';
import type { StateStore } from '../state/port.js';
import type { Stage } from '../stage.js';
import { rarityKeys, type RarityKey } from './keys.js';
import { decodeEntry, entryKey, LIVE_POINTER, metaKey, parseMeta, sinceKey, type BaselineEntry, type BaselineMeta } from './layout.js';
import { assess, rarityFlag, type RarityThresholds } from './score.js';
import { Lru } from '../../core/lru.js';

export interface RarityStageConfig {
  thresholds: RarityThresholds;
  /** How long the live pointer is trusted before it is read again. */
  pointerRefreshMs: number;
  now?: () => number;
  /** Called once when the live version changes (or disappears), for the logs. */
  onVersion?: (meta: BaselineMeta | null) => void;
  /** Baseline entries kept in process (default 200,000). */
  cacheSize?: number;
}

export class RarityStage implements Stage {
  readonly name = 'rarity';
  private live: { meta: BaselineMeta | null; readAt: number } | null = null;
  private readonly now: () => number;
  /** `kind:key` → the live version's entry (null: not in the baseline). */
  private readonly entries: Lru<BaselineEntry | null>;
  private entriesVersion: string | null = null;

  constructor(private readonly state: StateStore, private readonly cfg: RarityStageConfig) {
    this.now = cfg.now ?? Date.now;
    this.entries = new Lru(cfg.cacheSize ?? 200_000);
  }

  /** The live baseline version, or null when none is loaded. */
  async liveVersion(): Promise<BaselineMeta | null> {
    const now = this.now();
    if (this.live && now - this.live.readAt < this.cfg.pointerRefreshMs && (this.live.meta === null || this.live.meta.expires_at > now)) {
      return this.live.meta;
    }
    const [version] = await this.state.get([LIVE_POINTER]);
    let meta: BaselineMeta | null = null;
    if (version) {
      meta = this.live?.meta?.version === version ? this.live.meta : parseMeta((await this.state.get([metaKey(version)]))[0] ?? null);
    }
    if (meta?.version !== this.live?.meta?.version) this.cfg.onVersion?.(meta);
    this.live = { meta, readAt: now };
    return meta;
  }

  async run(events: NightjarEvent[]): Promise<void> {
    const meta = await this.liveVersion();
    if (!meta) return;
    const v = meta.version;

    const perEvent: RarityKey[][] = new Array(events.length);
    const distinct = new Map<string, RarityKey>();
    const occurrences: string[] = [];
    for (let i = 0; i < events.length; i++) {
      const keys = rarityKeys(events[i]!);
      perEvent[i] = keys;
      for (const k of keys) {
        const id = `${k.kind}:${k.key}`;
        if (!distinct.has(id)) distinct.set(id, k);
        occurrences.push(sinceKey(v, k.kind, k.key));
      }
    }
    if (occurrences.length === 0) return;

    if (this.entriesVersion !== v) {
      this.entries.clear();
      this.entriesVersion = v;
    }
    const entries = new Map<string, BaselineEntry | null>();
    const unknown: [string, RarityKey][] = [];
    for (const [id, k] of distinct) {
      const cached = this.entries.get(id);
      if (cached === undefined) unknown.push([id, k]);
      else entries.set(id, cached);
    }
    if (unknown.length > 0) {
      const values = await this.state.get(unknown.map(([, k]) => entryKey(v, k.kind, k.key)));
      unknown.forEach(([id], j) => {
        const entry = decodeEntry(values[j] ?? null);
        entries.set(id, entry);
        this.entries.set(id, entry);
      });
      // Since-counters are created with the version's TTL first (an increment keeps an
      // existing TTL), so counters of an old version expire with it.
      const ttl = Math.max(1, Math.ceil((meta.expires_at - this.now()) / 1000));
      await this.state.setIfAbsent(unknown.map(([, k]) => [sinceKey(v, k.kind, k.key), '0'] as const), ttl);
    }
    // Occurrences of a repeated key come back in order: the first event of a new key
    // in the batch sees 1, the next 2, as if they had come one by one.
    const counts = await this.state.increment(occurrences);

    let j = 0;
    for (let i = 0; i < events.length; i++) {
      const keys = perEvent[i]!;
      if (keys.length === 0) continue;
      const e = events[i]!;
      const rarity = (e.rarity ??= []);
      for (const k of keys) {
        const a = assess(k, entries.get(`${k.kind}:${k.key}`) ?? null, counts[j++]!, meta, this.cfg.thresholds);
        rarity.push(a.rarity);
        const flag = rarityFlag(k, e, a, meta, this.cfg.thresholds);
        if (flag) e.flags.push(flag);
      }
    }
  }
}
