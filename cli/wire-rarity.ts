/** Builds the rarity stage from the `baselines.rarity` configuration (cli/wire.ts places it after count, before detect). */
import type { NightjarConfig } from './config/schema.js';
import type { StateStore } from '../stream/state/port.js';
import { RarityStage } from '../stream/rarity/stage.js';
import { logger } from '../core/log.js';

const log = logger('rarity');

/** The stage, or null when baselines.rarity.enabled is false. Without a loaded baseline it does nothing but re-check the pointer. */
export function createRarityStage(config: NightjarConfig, state: StateStore): RarityStage | null {
  const r = config.baselines.rarity;
  if (!r.enabled) return null;
  return new RarityStage(state, {
    thresholds: {
      kinds: new Set(r.kinds),
      rareMaxHosts: r.rare_max_hosts,
      rareMaxEvents: r.rare_max_events,
      minTotalHosts: r.min_total_hosts,
      maxFlagsPerKey: r.max_flags_per_key,
    },
    pointerRefreshMs: r.pointer_refresh,
    onVersion: (meta) =>
      meta
        ? log.info('rarity: judging against baseline version', { version: meta.version, window: `${meta.window_start}..${meta.window_end}`, hosts: meta.total_hosts })
        : log.debug('rarity: no baseline loaded; run `nightjar baselines` to enable rarity flags'),
  });
}
