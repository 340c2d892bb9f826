/**
 * Where the intel stage looks indicators up. Exact values (IPs, domains, URLs, hashes)
 * are fetched by key in one batched call; ranges (CIDRs) are few and stay in each
 * worker's memory. Implementations: memory-index.ts (embedded: the feeds are parsed
 * in-process) and state-index.ts (scale-out: the set lives in the state store, shared
 * by every worker).
 */
import type { Indicator } from './indicator.js';

export interface IndicatorLookup {
  readonly name: string;
  /** Picks up changed feeds or a newly imported version; cheap when nothing changed. */
  refresh(): Promise<void>;
  /** Indicators by key (indicatorKey(type, value)); null where none. One round trip at most. */
  getMany(keys: readonly string[]): Promise<(Indicator | null)[]>;
  /** The most specific range containing the address, if any. */
  lookupRange(canonicalIp: string): Indicator | null;
  /** Changes whenever the indicator set does, so callers can drop cached answers. */
  generation(): number;
  close?(): Promise<void>;
}
