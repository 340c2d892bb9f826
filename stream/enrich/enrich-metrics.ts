/**
 * Metric names shared by the look-up enrichments (reverse DNS, passive DNS, LDAP), so each
 * reports the same four things under the same names, labelled by `enrichment`:
 * look-ups sent to the slow source, errors, look-up latency, and the cache hit ratio.
 */
import { metrics } from '../../core/metrics.js';

metrics.describe('nightjar_enrich_lookups_total', 'look-ups sent to an enrichment source (cache misses that reached DNS, LDAP, the store)');
metrics.describe('nightjar_enrich_errors_total', 'failed enrichment look-ups (timeouts, refused, server errors)');
metrics.describe('nightjar_enrich_unresolved_total', 'values left empty because the source did not answer within the batch budget');
metrics.describe('nightjar_cache_hit_ratio', 'hits over look-ups since start, both cache tiers together');

export function countLookups(enrichment: string, n = 1): void {
  if (n > 0) metrics.inc('nightjar_enrich_lookups_total', { enrichment }, n);
}

export function countErrors(enrichment: string, n = 1): void {
  if (n > 0) metrics.inc('nightjar_enrich_errors_total', { enrichment }, n);
}

export function countUnresolved(enrichment: string, n: number): void {
  if (n > 0) metrics.inc('nightjar_enrich_unresolved_total', { enrichment }, n);
}

/** Latency of one call to the slow source, as a Prometheus summary. */
export function observeLookup(enrichment: string, seconds: number): void {
  metrics.observe('nightjar_enrich_lookup_latency', { enrichment }, seconds);
}

export function reportHitRatio(cache: string, ratio: number): void {
  metrics.set('nightjar_cache_hit_ratio', { cache }, ratio);
}
