/**
 * The state port: counters, caches and distinct-count sketches shared by the stream
 * workers. Every method takes a whole batch of keys, so that an implementation over a
 * network (Redis) makes one round trip per call: stages call it once per batch.
 *
 * Implementations: memory.ts (embedded, bounded) and redis.ts (scale-out). Both pass
 * test/conformance/state.ts.
 */
export interface StateStore {
  readonly name: string;
  /** Adds `by` (default 1) to each key and returns the new values, in order. Keys may repeat. */
  increment(keys: readonly string[], by?: number): Promise<number[]>;
  /** Reads values; missing keys give null. */
  get(keys: readonly string[]): Promise<(string | null)[]>;
  /** Writes values, optionally expiring after ttlSeconds. */
  set(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<void>;
  /** Sets each key only if absent; returns true where this call set it. */
  setIfAbsent(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<boolean[]>;
  /** Adds members to HyperLogLog sketches (Redis PFADD semantics). */
  hllAdd(entries: readonly (readonly [string, string])[]): Promise<void>;
  /** Estimated distinct members per sketch (Redis PFCOUNT semantics). */
  hllCount(keys: readonly string[]): Promise<number[]>;
  /** Deletes keys. */
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
