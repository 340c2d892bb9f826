/**
 * Enrichment: passive DNS. Records every query→answer pair the batch observed (Zeek
 * dns.log, Sysmon event 22) in the state store, with count and first/last seen, in one
 * state-store call per batch (passive-dns-store.ts has the data model and the reader the
 * CLI uses). The events themselves are not changed: the value is the history, queried
 * with `nightjar pdns` in real time and with queries/passive_dns.sql over the lake.
 */
import type { NightjarEvent } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { StateStore } from '../state/port.js';
import { aggregatePairs, pairUpdates } from './passive-dns-store.js';
import { countErrors, countLookups, observeLookup } from './enrich-metrics.js';
import { metrics } from '../../core/metrics.js';

const ENRICHMENT = 'passive_dns';

export interface PassiveDnsOptions {
  /** Pairs not seen again for this long expire, in seconds. */
  retentionSeconds: number;
  /** Answers kept per event; a response with hundreds of records is an outlier, not history. */
  maxAnswersPerEvent: number;
}

export class PassiveDnsStage implements Stage {
  readonly name = 'enrich_passive_dns';

  constructor(private readonly state: StateStore, private readonly opts: PassiveDnsOptions) {}

  async run(events: NightjarEvent[]): Promise<void> {
    const pairs = aggregatePairs(events, this.opts.maxAnswersPerEvent);
    if (pairs.length === 0) return;
    const t0 = performance.now();
    countLookups(ENRICHMENT, pairs.length);
    try {
      await this.state.zUpdate(pairUpdates(pairs), this.opts.retentionSeconds);
    } catch (err) {
      // the store is down: the batch is retried by the pipeline rather than losing history
      countErrors(ENRICHMENT);
      throw err;
    } finally {
      observeLookup(ENRICHMENT, (performance.now() - t0) / 1000);
    }
    metrics.inc('nightjar_passive_dns_pairs_total', {}, pairs.length);
  }
}
