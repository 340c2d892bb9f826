/**
 * GeoIP over databases that are replaced while the pipeline runs (MaxMind ships new
 * City and ASN files weekly): each database file is a ReloadingFile, and lookups merge
 * the answers of the current ones. A new database that fails to open keeps the old one.
 * `generation()` changes when any database was swapped, so the GeoIP stage drops the
 * answers it cached from the old one.
 */
import type { Geo } from '../../schema/types.js';
import type { ReloadingFile } from '../../core/reloading-file.js';
import type { GeoLookup } from './geo-port.js';

export class ReloadingGeo implements GeoLookup {
  private seen: GeoLookup[] = [];
  private gen = 0;

  constructor(private readonly databases: readonly ReloadingFile<GeoLookup>[]) {}

  /** Checks the files (each at most every checkEveryMs) and counts swaps. */
  generation(now = Date.now()): number {
    const current = this.databases.map((d) => d.current(now));
    if (current.length !== this.seen.length || current.some((g, i) => g !== this.seen[i])) {
      if (this.seen.length > 0) this.gen++;
      this.seen = current;
    }
    return this.gen;
  }

  lookup(ip: string): Geo | null {
    if (this.seen.length === 0) this.generation();
    let out: Geo | null = null;
    for (const db of this.seen) {
      const g = db.lookup(ip);
      if (!g) continue;
      if (!out) out = { ...g };
      else for (const k of Object.keys(g) as (keyof Geo)[]) if (out[k] === null) (out as unknown as Record<string, unknown>)[k] = g[k];
    }
    return out;
  }
}
