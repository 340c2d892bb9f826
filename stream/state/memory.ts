/**
 * The embedded state store: bounded in-memory maps. When `maxKeys` is reached the oldest
 * keys are evicted (a Map iterates in insertion order), which for counters means a very
 * old key may later be counted as new again: the bound protects the process, and the
 * scale-out path (Redis) has no such limit.
 */
import type { ScoreUpdate, StateStore } from './port.js';
import { HyperLogLog } from './hll.js';

interface Entry {
  value: string;
  expires: number;
}

interface SortedSet {
  members: Map<string, number>;
  expires: number;
}

export class MemoryStateStore implements StateStore {
  readonly name = 'memory';
  private readonly values = new Map<string, Entry>();
  private readonly sketches = new Map<string, HyperLogLog>();
  /** Expiry (ms) of the sketches added with a TTL; the others live until evicted. */
  private readonly sketchExpiry = new Map<string, number>();
  private readonly sortedSets = new Map<string, SortedSet>();

  constructor(private readonly maxKeys = 5_000_000, private readonly now: () => number = Date.now) {}

  async increment(keys: readonly string[], by = 1): Promise<number[]> {
    const now = this.now();
    const out = new Array<number>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const entry = this.live(key, now);
      const next = (entry ? Number(entry.value) : 0) + by;
      if (entry) entry.value = String(next);
      else this.insert(key, { value: String(next), expires: Infinity });
      out[i] = next;
    }
    return out;
  }

  async get(keys: readonly string[]): Promise<(string | null)[]> {
    const now = this.now();
    return keys.map((k) => this.live(k, now)?.value ?? null);
  }

  async set(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<void> {
    const expires = ttlSeconds === undefined ? Infinity : this.now() + ttlSeconds * 1000;
    for (const [k, v] of entries) {
      this.values.delete(k);
      this.insert(k, { value: v, expires });
    }
  }

  async setIfAbsent(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<boolean[]> {
    const now = this.now();
    const expires = ttlSeconds === undefined ? Infinity : now + ttlSeconds * 1000;
    return entries.map(([k, v]) => {
      if (this.live(k, now)) return false;
      this.insert(k, { value: v, expires });
      return true;
    });
  }

  async hllAdd(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<void> {
    const now = this.now();
    for (const [key, member] of entries) {
      let sketch = this.liveSketch(key, now);
      if (!sketch) {
        if (this.sketches.size >= this.maxKeys) {
          const oldest = this.sketches.keys().next().value as string;
          this.sketches.delete(oldest);
          this.sketchExpiry.delete(oldest);
        }
        this.sketchExpiry.delete(key);
        sketch = new HyperLogLog();
        this.sketches.set(key, sketch);
      }
      sketch.add(member);
      if (ttlSeconds !== undefined) this.sketchExpiry.set(key, now + ttlSeconds * 1000);
    }
  }

  async hllCount(keys: readonly string[]): Promise<number[]> {
    const now = this.now();
    return keys.map((k) => this.liveSketch(k, now)?.count() ?? 0);
  }

  async hllCountUnion(keysPerQuery: readonly (readonly string[])[]): Promise<number[]> {
    const now = this.now();
    return keysPerQuery.map((keys) => {
      const sketches = keys.map((k) => this.liveSketch(k, now)).filter((s): s is HyperLogLog => s !== undefined);
      return sketches.length === 0 ? 0 : HyperLogLog.countUnion(sketches);
    });
  }

  async zUpdate(updates: readonly ScoreUpdate[], ttlSeconds?: number): Promise<void> {
    const now = this.now();
    const expires = ttlSeconds === undefined ? undefined : now + ttlSeconds * 1000;
    for (const u of updates) {
      let set = this.liveSortedSet(u.key, now);
      if (!set) {
        if (this.sortedSets.size >= this.maxKeys) this.sortedSets.delete(this.sortedSets.keys().next().value as string);
        set = { members: new Map(), expires: Infinity };
        this.sortedSets.set(u.key, set);
      }
      const old = set.members.get(u.member);
      let next = u.score;
      if (old !== undefined) {
        if (u.mode === 'add') next = old + u.score;
        else if (u.mode === 'min') next = Math.min(old, u.score);
        else next = Math.max(old, u.score);
      }
      set.members.set(u.member, next);
      if (expires !== undefined) set.expires = expires;
    }
  }

  async zTop(keys: readonly string[], limit: number): Promise<[string, number][][]> {
    const now = this.now();
    return keys.map((k) => {
      const set = this.liveSortedSet(k, now);
      if (!set || limit <= 0) return [];
      // Redis order: score descending, equal scores in reverse byte order of the member
      return [...set.members]
        .sort(([ma, sa], [mb, sb]) => sb - sa || Buffer.compare(Buffer.from(mb), Buffer.from(ma)))
        .slice(0, limit);
    });
  }

  async zScores(entries: readonly (readonly [string, string])[]): Promise<(number | null)[]> {
    const now = this.now();
    return entries.map(([k, m]) => this.liveSortedSet(k, now)?.members.get(m) ?? null);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const k of keys) {
      this.values.delete(k);
      this.sketches.delete(k);
      this.sketchExpiry.delete(k);
      this.sortedSets.delete(k);
    }
  }

  async close(): Promise<void> {
    this.values.clear();
    this.sketches.clear();
    this.sketchExpiry.clear();
    this.sortedSets.clear();
  }

  get size(): number {
    return this.values.size;
  }

  private liveSketch(key: string, now: number): HyperLogLog | undefined {
    const expires = this.sketchExpiry.get(key);
    if (expires !== undefined && expires <= now) {
      this.sketches.delete(key);
      this.sketchExpiry.delete(key);
      return undefined;
    }
    return this.sketches.get(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.values.get(key);
    if (entry && entry.expires <= now) {
      this.values.delete(key);
      return undefined;
    }
    return entry;
  }

  private liveSortedSet(key: string, now: number): SortedSet | undefined {
    const set = this.sortedSets.get(key);
    if (set && set.expires <= now) {
      this.sortedSets.delete(key);
      return undefined;
    }
    return set;
  }

  private insert(key: string, entry: Entry): void {
    if (this.values.size >= this.maxKeys) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, entry);
  }
}
