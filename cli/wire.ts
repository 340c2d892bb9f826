/**
 * The composition root's building blocks: picks the implementation of each port from the
 * configuration and assembles the stage list. The only place that knows both the
 * stages and the adapters.
 */
import { resolve } from 'node:path';
import type { NightjarConfig } from './config/schema.js';
import type { StateStore } from '../stream/state/port.js';
import type { Stage } from '../stream/stage.js';
import { MemoryStateStore } from '../stream/state/memory.js';
import { Pipeline } from '../stream/pipeline.js';
import { normalise } from '../stream/normalise/index.js';
import { SitesStage } from '../stream/enrich/sites.js';
import { loadSitesCsv } from '../stream/enrich/sites-csv.js';
import { GeoIpStage } from '../stream/enrich/geoip.js';
import { MaxmindGeo } from '../stream/enrich/maxmind.js';
import { CountStage } from '../stream/count/stage.js';
import { DetectStage } from '../stream/detect/stage.js';
import { ReloadingFile } from '../core/reloading-file.js';
import { logger } from '../core/log.js';

const log = logger('wire');

export async function createStateStore(config: NightjarConfig): Promise<StateStore> {
  if (config.state.backend === 'redis') {
    const { RedisStateStore } = await import('../stream/state/redis.js');
    return RedisStateStore.create(config.state.redis.url, config.state.redis.key_prefix);
  }
  return new MemoryStateStore(config.state.max_keys);
}

export function createStages(config: NightjarConfig, state: StateStore): Stage[] {
  const stages: Stage[] = [];
  const { enrich, detect } = config;
  const onReloadError = (what: string) => (err: unknown) => log.warn(`reloading ${what} failed; keeping the previous version`, { error: (err as Error).message });
  if (enrich.sites_csv) {
    const sites = new ReloadingFile(resolve(enrich.sites_csv), loadSitesCsv, enrich.reload_check, onReloadError('the sites CSV'));
    stages.push(new SitesStage(() => sites.current()));
  }
  if (enrich.geoip.city_db || enrich.geoip.asn_db) {
    stages.push(new GeoIpStage(MaxmindGeo.open({ city: enrich.geoip.city_db, asn: enrich.geoip.asn_db }), enrich.geoip.cache_size));
  }
  stages.push(new CountStage(state));
  stages.push(
    new DetectStage(state, {
      watchlist: detect.watchlist,
      learningWindowMs: detect.learning_window,
      firstSeenKinds: detect.first_seen_kinds,
      spray: detect.password_spray.enabled
        ? { windowMs: detect.password_spray.window, minDistinctUsers: detect.password_spray.min_distinct_users }
        : null,
    }),
  );
  return stages;
}

export function createPipeline(config: NightjarConfig, state: StateStore): Pipeline {
  return new Pipeline(normalise, createStages(config, state));
}
