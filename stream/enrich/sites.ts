/**
 * Enrichment: internal CIDR → site, location and owner tags for src_ip and dst_ip.
 * Pure in-process lookups; each distinct address is looked up once per batch.
 */
import type { NightjarEvent, Site } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { CidrTable } from './cidr-table.js';
import { metrics } from '../../core/metrics.js';

export class SitesStage implements Stage {
  readonly name = 'enrich_sites';

  constructor(private readonly table: () => CidrTable<Site>) {}

  async run(events: NightjarEvent[]): Promise<void> {
    const table = this.table();
    const seen = new Map<string, Site | null>();
    const lookup = (ip: string | null): Site | null => {
      if (!ip) return null;
      let site = seen.get(ip);
      if (site === undefined) {
        site = table.lookup(ip) ?? null;
        seen.set(ip, site);
      }
      return site;
    };
    for (const event of events) {
      event.src_site = lookup(event.src_ip);
      event.dst_site = lookup(event.dst_ip);
    }
    metrics.inc('nightjar_enrich_lookups_total', { enrichment: 'sites' }, seen.size);
  }
}
