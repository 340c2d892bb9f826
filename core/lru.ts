/**
 * A small bounded LRU, the L1 cache in front of the state store and slow sources.
 * A Map keeps insertion order: re-inserting on hit moves a key to the young end, and
 * eviction drops from the old end. Entries may carry an expiry (ms since epoch).
 */
export class Lru<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('LRU capacity must be positive');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined || entry.expires < now) {
      if (entry) this.map.delete(key);
      this.misses++;
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, entry);
    this.hits++;
    return entry.value;
  }

  has(key: string, now = Date.now()): boolean {
    const entry = this.map.get(key);
    return entry !== undefined && entry.expires >= now;
  }

  set(key: string, value: V, ttlMs = Infinity, now = Date.now()): void {
    this.map.delete(key);
    this.map.set(key, { value, expires: now + ttlMs });
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  hitRatio(): number {
    const total = this.hits + this.misses;
    return total === 0 ? 0 : this.hits / total;
  }
}
