/**
 * The GeoIP port: city and ASN for an address. Implementation: maxmind.ts over MaxMind
 * `.mmdb` files. Lookups are synchronous (memory-mapped databases), so the stage needs no
 * batching of I/O, only deduplication and an L1 cache.
 */
import type { Geo } from '../../schema/types.js';

export interface GeoLookup {
  lookup(ip: string): Geo | null;
  /** For databases that reload: changes when a database was replaced (cached answers are stale). */
  generation?(): number;
}
