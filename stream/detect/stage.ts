/**
 * The detect stage: appends flags to events. Watch-listed binaries and their suspicious
 * uses, first-time occurrences (after the learning window) and password spraying.
 * State access per batch: one read of unknown history starts (cached in process after),
 * one write for new ones, one HLL add and one HLL count.
 */
import type { NightjarEvent } from '../../schema/types.js';
import type { StateStore } from '../state/port.js';
import type { Stage } from '../stage.js';
import { watchlistFlags } from './watchlist.js';
import { firstSeenFlags, historyEntity } from './first-seen.js';
import { passwordSprayFlags, type SprayConfig } from './password-spray.js';
import { Lru } from '../../core/lru.js';

export interface DetectConfig {
  watchlist: readonly string[];
  /** A watch-listed parent→child pair stops raising flags after this many runs. */
  watchlistRoutineAfter: number;
  learningWindowMs: number;
  firstSeenKinds: readonly string[];
  spray: SprayConfig | null;
}

export class DetectStage implements Stage {
  readonly name = 'detect';
  private readonly watchlist: ReadonlySet<string>;
  private readonly kinds: ReadonlySet<string>;
  /** entity → the event time its history starts; never changes once set, so L1 holds it. */
  private readonly historyStart = new Lru<number>(200_000);

  constructor(private readonly state: StateStore, private readonly cfg: DetectConfig) {
    this.watchlist = new Set(cfg.watchlist.map((s) => s.toLowerCase()));
    this.kinds = new Set(cfg.firstSeenKinds);
  }

  async run(events: NightjarEvent[]): Promise<void> {
    const starts = await this.historyStarts(events);
    for (const e of events) {
      e.flags.push(...watchlistFlags(e, this.watchlist, this.cfg.watchlistRoutineAfter));
      if (e.stats.length > 0) {
        e.flags.push(...firstSeenFlags(e, starts.get(historyEntity(e)), this.cfg.learningWindowMs, this.kinds));
      }
    }
    if (this.cfg.spray) {
      for (const [i, flag] of await passwordSprayFlags(events, this.state, this.cfg.spray)) events[i]!.flags.push(flag);
    }
  }

  /** History start per entity of the events that carry statistics. */
  private async historyStarts(events: readonly NightjarEvent[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const earliest = new Map<string, number>();
    for (const e of events) {
      if (e.stats.length === 0) continue;
      const entity = historyEntity(e);
      const cached = this.historyStart.get(entity);
      if (cached !== undefined) out.set(entity, cached);
      else earliest.set(entity, Math.min(earliest.get(entity) ?? Infinity, e.ts));
    }
    if (earliest.size === 0) return out;
    const entities = [...earliest.keys()];
    const keys = entities.map((x) => `hist:${x}`);
    // set-if-absent then read: whichever worker wrote first defines the start for all
    await this.state.setIfAbsent(entities.map((x, i) => [keys[i]!, String(earliest.get(x))] as const));
    const values = await this.state.get(keys);
    entities.forEach((x, i) => {
      const start = Number(values[i]);
      this.historyStart.set(x, start);
      out.set(x, start);
    });
    return out;
  }
}
