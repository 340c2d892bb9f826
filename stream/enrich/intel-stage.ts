/**
 * Enrichment: threat-intel matching. For every event it looks up src_ip and dst_ip
 * (exact and within ranges), dns_query and dst_host (with parent domains), the URL
 * (whole, then its host) and the file hashes; appends one IntelMatch per matching
 * field to `intel` and a `threat_intel_match` flag naming the indicators and feeds.
 *
 * I/O per batch: the candidate keys of all events, deduplicated, minus those in the L1
 * cache, go to the indicator lookup in one call. The lookup refreshes (changed feeds,
 * a new version in the state store) at most every `refreshMs`; a failed refresh keeps
 * the indicators it had.
 */
import type { IntelMatch, NightjarEvent } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { IndicatorLookup } from './intel/lookup-port.js';
import type { Indicator } from './intel/indicator.js';
import { probesOf } from './intel/probes.js';
import { Lru } from '../../core/lru.js';
import { metrics } from '../../core/metrics.js';
import { logger } from '../../core/log.js';

const log = logger('enrich_intel');

export interface IntelStageOptions {
  refreshMs: number;
  /** L1 entries in front of a remote lookup; 0 for none (the memory index needs none). */
  cacheSize: number;
  /** Flag score for a match without a confidence; with one, the score scales with it. */
  baseScore?: number;
}

export function flagScore(matches: readonly IntelMatch[], base = 80): number {
  const conf = Math.max(-1, ...matches.map((m) => m.confidence ?? -1));
  return conf < 0 ? base : Math.round(50 + conf * 0.45); // 50 (confidence 0) … 95 (confidence 100)
}

export function describeMatches(matches: readonly IntelMatch[]): string {
  return matches
    .map((m) => `${m.field} ${m.type} indicator ${m.indicator} (${m.sources.join(', ')}${m.confidence === null ? '' : `, confidence ${m.confidence}`})`)
    .join('; ');
}

export class IntelStage implements Stage {
  readonly name = 'enrich_intel';
  private cache: Lru<Indicator | null> | null;
  private refreshedAt = -Infinity;
  private generation = -1;

  constructor(private readonly lookup: IndicatorLookup, private readonly opts: IntelStageOptions) {
    this.cache = opts.cacheSize > 0 ? new Lru(opts.cacheSize) : null;
  }

  private async maybeRefresh(): Promise<void> {
    const now = Date.now();
    if (now - this.refreshedAt < this.opts.refreshMs) return;
    this.refreshedAt = now;
    try {
      await this.lookup.refresh();
    } catch (err) {
      metrics.inc('nightjar_enrich_errors_total', { enrichment: 'intel' });
      log.warn('refreshing threat intel failed; keeping the indicators loaded before', { error: (err as Error).message });
    }
    const gen = this.lookup.generation();
    if (gen !== this.generation) {
      this.generation = gen;
      if (this.cache) this.cache = new Lru(this.opts.cacheSize);
    }
  }

  async run(events: NightjarEvent[]): Promise<void> {
    await this.maybeRefresh();
    const probes = events.map(probesOf);
    const found = new Map<string, Indicator | null>();
    const wanted: string[] = [];
    for (const list of probes) {
      for (const p of list) {
        for (const key of p.candidates) {
          if (found.has(key)) continue;
          const cached = this.cache?.get(key);
          found.set(key, cached ?? null);
          if (cached === undefined) wanted.push(key);
        }
      }
    }
    if (this.cache) {
      metrics.inc('nightjar_cache_hits_total', { cache: 'intel' }, found.size - wanted.length);
      metrics.inc('nightjar_cache_misses_total', { cache: 'intel' }, wanted.length);
    }
    metrics.inc('nightjar_enrich_lookups_total', { enrichment: 'intel' }, found.size);
    if (wanted.length > 0) {
      const values = await this.lookup.getMany(wanted);
      wanted.forEach((key, i) => {
        const v = values[i] ?? null;
        found.set(key, v);
        this.cache?.set(key, v);
      });
    }
    let matched = 0;
    events.forEach((event, i) => {
      const matches: IntelMatch[] = [];
      for (const p of probes[i]!) {
        let hit: Indicator | null = null;
        for (const key of p.candidates) {
          hit = found.get(key) ?? null;
          if (hit) break;
        }
        if (!hit && p.ip) hit = this.lookup.lookupRange(p.ip);
        if (hit) {
          matches.push({ indicator: hit.value, type: hit.type, field: p.field, sources: [...hit.sources], confidence: hit.confidence, first_seen: hit.first_seen, last_seen: hit.last_seen });
        }
      }
      if (matches.length === 0) return;
      matched++;
      event.intel = [...(event.intel ?? []), ...matches];
      event.flags.push({ rule: 'threat_intel_match', score: flagScore(matches, this.opts.baseScore), reason: describeMatches(matches) });
    });
    metrics.inc('nightjar_enrich_matches_total', { enrichment: 'intel' }, matched);
  }

  async close(): Promise<void> {
    await this.lookup.close?.();
  }
}
