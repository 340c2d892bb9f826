/**
 * The rarity stage: judges each event's keys (image, hash, parent→child pair,
 * user@host, host pair, DNS name and domain) against the live baseline version plus the
 * occurrences since it went live, records a Rarity per key and flags the never-seen and
 * the rare.
 *
 * State access per batch: one get of the baseline entries and the since-counters of the
 * batch's distinct keys, one setIfAbsent that gives new since-counters the version's TTL
 * (only when there are new keys), one increment of the since-counters. The live pointer
 * is read once per `pointerRefreshMs`, not per batch, and a whole batch is judged
 * against one version, so a switch mid-batch never mixes versions.
 */
import type { NightjarEvent } from '../../schema/types.js';
import type { StateStore } from '../state/port.js';
import type { Stage } from '../stage.js';
import { rarityKeys, type RarityKey } from './keys.js';
import { decodeEntry, entryKey, LIVE_POINTER, metaKey, parseMeta, sinceKey, type BaselineMeta } from './layout.js';
import { assess, rarityFlag, type RarityThresholds } from './score.js';

export interface RarityStageConfig {
  thresholds: RarityThresholds;
  /** How long the live pointer is trusted before it is read again. */
  pointerRefreshMs: number;
  now?: () => number;
  /** Called once when the live version changes (or disappears), for the logs. */
  onVersion?: (meta: BaselineMeta | null) => void;
}

export class RarityStage implements Stage {
  readonly name = 'rarity';
  private live: { meta: BaselineMeta | null; readAt: number } | null = null;
  private readonly now: () => number;

  constructor(private readonly state: StateStore, private readonly cfg: RarityStageConfig) {
    this.now = cfg.now ?? Date.now;
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

    const ids = [...distinct.keys()];
    const wanted = [...distinct.values()].flatMap((k) => [entryKey(v, k.kind, k.key), sinceKey(v, k.kind, k.key)]);
    const values = await this.state.get(wanted);
    const entries = new Map(ids.map((id, j) => [id, decodeEntry(values[2 * j] ?? null)]));
    // New since-counters are created with the version's TTL first (an increment keeps an
    // existing TTL), so counters of an old version expire with it.
    const fresh = ids.filter((_, j) => values[2 * j + 1] === null).map((id) => [sinceKey(v, distinct.get(id)!.kind, distinct.get(id)!.key), '0'] as const);
    if (fresh.length > 0) {
      const ttl = Math.max(1, Math.ceil((meta.expires_at - this.now()) / 1000));
      await this.state.setIfAbsent(fresh, ttl);
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
