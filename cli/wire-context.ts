/**
 * Wiring of the context enrichments: GeoIP databases that reload, threat intel, vulnerability
 * scans and hash prevalence, each from its config section and only when enabled.
 */
import { resolve } from 'node:path';
import type { NightjarConfig } from './config/schema.js';
import type { StateStore } from '../stream/state/port.js';
import type { Stage } from '../stream/stage.js';
import type { GeoLookup } from '../stream/enrich/geo-port.js';
import { MaxmindGeo } from '../stream/enrich/maxmind.js';
import { ReloadingGeo } from '../stream/enrich/reloading-geo.js';
import { IntelStage } from '../stream/enrich/intel-stage.js';
import { memoryFeedLookup, stateStoreFeedLookup } from '../stream/enrich/intel/feed-lookups.js';
import type { FeedSpec } from '../stream/enrich/intel/feed.js';
import { VulnsStage } from '../stream/enrich/vulns-stage.js';
import { ScanFiles } from '../stream/enrich/vulns/scan-files.js';
import { PrevalenceStage } from '../stream/enrich/prevalence-stage.js';
import { ReloadingFile } from '../core/reloading-file.js';
import { metrics } from '../core/metrics.js';
import { logger } from '../core/log.js';

const log = logger('wire');

/** City and ASN databases, each reloaded when its file changes (a broken new file keeps the old one). */
export function createReloadingGeo(config: NightjarConfig): ReloadingGeo {
  const { city_db: city, asn_db: asn } = config.enrich.geoip;
  const files: ReloadingFile<GeoLookup>[] = [];
  const onError = (path: string) => (err: unknown) => {
    metrics.inc('nightjar_enrich_errors_total', { enrichment: 'geoip' });
    log.warn('reloading a GeoIP database failed; keeping the previous one', { path, error: (err as Error).message });
  };
  if (city) files.push(new ReloadingFile<GeoLookup>(resolve(city), (p) => MaxmindGeo.open({ city: p }), config.enrich.reload_check, onError(city)));
  if (asn) files.push(new ReloadingFile<GeoLookup>(resolve(asn), (p) => MaxmindGeo.open({ asn: p }), config.enrich.reload_check, onError(asn)));
  return new ReloadingGeo(files);
}

export function createContextStages(config: NightjarConfig, state: StateStore): Stage[] {
  const { intel, vulns, prevalence } = config.enrich;
  const stages: Stage[] = [];
  if (intel.enabled) {
    const feeds: FeedSpec[] = intel.feeds.map((f) => ({ path: resolve(f.path), format: f.format, source: f.source }));
    const onError = (spec: FeedSpec, err: unknown) => {
      metrics.inc('nightjar_enrich_errors_total', { enrichment: 'intel' });
      log.warn('reading an intel feed failed; keeping its previous indicators', { path: spec.path, error: (err as Error).message });
    };
    const lookup = intel.backend === 'state-store' ? stateStoreFeedLookup(state, feeds, onError) : memoryFeedLookup(feeds, onError);
    stages.push(new IntelStage(lookup, { refreshMs: intel.refresh, cacheSize: intel.backend === 'state-store' ? intel.cache_size : 0 }));
  }
  if (vulns.enabled && vulns.scans.length > 0) {
    const scans = new ScanFiles(vulns.scans.map((p) => resolve(p)), config.enrich.reload_check, (path, err) => {
      metrics.inc('nightjar_enrich_errors_total', { enrichment: 'vulns' });
      log.warn('reading a scan report failed; keeping its previous findings', { path, error: (err as Error).message });
    });
    stages.push(new VulnsStage(() => scans.current()));
  }
  if (prevalence.enabled) stages.push(new PrevalenceStage(state, prevalence.window_days));
  return stages;
}
