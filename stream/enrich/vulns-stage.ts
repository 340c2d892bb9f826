/**
 * Enrichment: known vulnerabilities of the service an event connects to. For every event
 * with dst_ip and dst_port that a scan found vulnerable, sets `vulns` and flags
 * `exploitable_service`, naming the worst CVEs and their CVSS. The index is in memory
 * (scans are small next to the event stream) and swapped when a scan file changes.
 */
import type { NightjarEvent, Vuln } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { VulnIndex } from './vulns/vuln-index.js';
import { metrics } from '../../core/metrics.js';

const SHOWN = 3;

export function describeVulns(ip: string, port: number, vulns: readonly Vuln[]): string {
  const parts = vulns.slice(0, SHOWN).map((v) => `${v.cve ?? v.name ?? v.plugin}${v.cvss === null ? '' : ` (CVSS ${v.cvss})`} [${v.scanner}]`);
  const more = vulns.length > SHOWN ? ` and ${vulns.length - SHOWN} more` : '';
  return `connection to ${ip}:${port}, a service scanned as vulnerable: ${parts.join(', ')}${more}`;
}

/** 40 for an unscored finding, up to 90 for CVSS 10. */
export function vulnScore(vulns: readonly Vuln[]): number {
  const worst = Math.max(-1, ...vulns.map((v) => v.cvss ?? -1));
  return worst < 0 ? 40 : Math.round(40 + worst * 5);
}

export class VulnsStage implements Stage {
  readonly name = 'enrich_vulns';

  constructor(private readonly index: () => VulnIndex) {}

  async run(events: NightjarEvent[]): Promise<void> {
    const index = this.index();
    let lookups = 0;
    let matched = 0;
    for (const event of events) {
      if (!event.dst_ip || event.dst_port === null) continue;
      lookups++;
      const vulns = index.lookup(event.dst_ip, event.dst_port);
      if (vulns.length === 0) continue;
      matched++;
      event.vulns = vulns.map((v) => ({ ...v }));
      event.flags.push({ rule: 'exploitable_service', score: vulnScore(vulns), reason: describeVulns(event.dst_ip, event.dst_port, vulns) });
    }
    metrics.inc('nightjar_enrich_lookups_total', { enrichment: 'vulns' }, lookups);
    metrics.inc('nightjar_enrich_matches_total', { enrichment: 'vulns' }, matched);
  }
}
