/**
 * Enrichment: GeoIP city and ASN for public src_ip and dst_ip. Private addresses are
 * skipped (they are never in GeoIP; sites cover them). Distinct addresses per batch go
 * through an L1 LRU before the database.
 */
import type { Geo, NightjarEvent } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { GeoLookup } from './geo-port.js';
import { Lru } from '../../core/lru.js';
import { isPrivateIp } from '../../core/ip.js';
import { metrics } from '../../core/metrics.js';
import { logger } from '../../core/log.js';

const log = logger('enrich_geoip');

export class GeoIpStage implements Stage {
  readonly name = 'enrich_geoip';
  private cache: Lru<Geo | null>;
  private errorsLogged = 0;
  private generation: number | undefined;

  constructor(private readonly geo: GeoLookup, private readonly cacheSize = 100_000) {
    this.cache = new Lru(cacheSize);
    this.generation = geo.generation?.();
  }

  async run(events: NightjarEvent[]): Promise<void> {
    const generation = this.geo.generation?.();
    if (generation !== this.generation) {
      // a database was replaced: answers cached from the old one are stale
      this.generation = generation;
      this.cache = new Lru(this.cacheSize);
    }
    const resolve = (ip: string | null): Geo | null => {
      if (!ip) return null;
      let geo = this.cache.get(ip);
      if (geo === undefined) {
        geo = null;
        if (!isPrivateIp(ip)) {
          try {
            geo = this.geo.lookup(ip);
          } catch (err) {
            // a corrupt region of the database: the event still flows, without geo
            metrics.inc('nightjar_enrich_errors_total', { enrichment: 'geoip' });
            if (this.errorsLogged++ < 5) log.warn('GeoIP lookup failed', { ip, error: (err as Error).message });
          }
        }
        this.cache.set(ip, geo);
      }
      return geo;
    };
    const hitsBefore = this.cache.hits;
    const missesBefore = this.cache.misses;
    for (const event of events) {
      event.src_geo = resolve(event.src_ip);
      event.dst_geo = resolve(event.dst_ip);
    }
    metrics.inc('nightjar_cache_hits_total', { cache: 'geoip' }, this.cache.hits - hitsBefore);
    metrics.inc('nightjar_cache_misses_total', { cache: 'geoip' }, this.cache.misses - missesBefore);
  }
}
