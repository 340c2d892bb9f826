/**
 * The in-process indicator index: one hash map for every exact value (O(1) per probe)
 * and a CidrTable for ranges (at most 33/129 probes, independent of the set's size).
 */
import { CidrTable } from '../cidr-table.js';
import type { Indicator } from './indicator.js';
import type { IndicatorLookup } from './lookup-port.js';

export class MemoryIndicatorIndex {
  private readonly exact = new Map<string, Indicator>();
  private readonly ranges = new CidrTable<Indicator>();

  constructor(entries: Iterable<[string, Indicator]>) {
    for (const [key, indicator] of entries) {
      if (indicator.type === 'cidr') this.ranges.add(indicator.value, indicator);
      else this.exact.set(key, indicator);
    }
  }

  get size(): number {
    return this.exact.size + this.ranges.size;
  }

  get(key: string): Indicator | null {
    return this.exact.get(key) ?? null;
  }

  lookupRange(ip: string): Indicator | null {
    return this.ranges.lookup(ip) ?? null;
  }
}

/** An IndicatorLookup over a fixed index, or over one that a loader swaps on refresh. */
export class MemoryIndicatorLookup implements IndicatorLookup {
  readonly name = 'memory';
  private gen = 0;
  private last: MemoryIndicatorIndex;

  constructor(private readonly current: () => MemoryIndicatorIndex, private readonly reload: () => Promise<void> = async () => {}) {
    this.last = current();
  }

  async refresh(): Promise<void> {
    await this.reload();
    const now = this.current();
    if (now !== this.last) {
      this.last = now;
      this.gen++;
    }
  }

  async getMany(keys: readonly string[]): Promise<(Indicator | null)[]> {
    const index = this.last;
    return keys.map((k) => index.get(k));
  }

  lookupRange(ip: string): Indicator | null {
    return this.last.lookupRange(ip);
  }

  generation(): number {
    return this.gen;
  }
}
