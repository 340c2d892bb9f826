/**
 * The state port: counters, caches and distinct-count sketches shared by the stream
 * workers. Every method takes a whole batch of keys, so that an implementation over a
 * network (Redis) makes one round trip per call: stages call it once per batch.
 *
 * Implementations: memory.ts (embedded, bounded) and redis.ts (scale-out). Both pass
 * test/conformance/state.ts.
 */
/**
 * One sorted-set update: `add` adds `score` to the member's score (Redis ZINCRBY); `min`
 * and `max` keep the smaller or larger of the old and new score (ZADD LT / ZADD GT). A
 * member not yet in the set is added with `score` in every mode.
 */
export interface ScoreUpdate {
  key: string;
  member: string;
  score: number;
  mode: 'add' | 'min' | 'max';
}

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
  /**
   * Adds members to HyperLogLog sketches (Redis PFADD semantics). With ttlSeconds every
   * touched sketch gets that expiry (per-day sketches that age out on their own).
   */
  hllAdd(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<void>;
  /** Estimated distinct members per sketch (Redis PFCOUNT semantics). */
  hllCount(keys: readonly string[]): Promise<number[]>;
  /**
   * Per query, the estimated distinct members of the union of its sketches (Redis
   * PFCOUNT with several keys), e.g. one sketch per day summed over a window.
   */
  hllCountUnion(keysPerQuery: readonly (readonly string[])[]): Promise<number[]>;
  /**
   * Applies sorted-set updates in order, in one round trip. With `ttlSeconds`, every key
   * touched gets that expiry (a retention window that slides while the key is in use).
   */
  zUpdate(updates: readonly ScoreUpdate[], ttlSeconds?: number): Promise<void>;
  /**
   * Up to `limit` members of each sorted set with their scores, highest score first, ties
   * in reverse member order (Redis ZRANGE key 0 limit-1 REV WITHSCORES). Missing keys give [].
   */
  zTop(keys: readonly string[], limit: number): Promise<[string, number][][]>;
  /** The score of each [key, member]; null where the member or key is absent (Redis ZMSCORE). */
  zScores(entries: readonly (readonly [string, string])[]): Promise<(number | null)[]>;
  /** Deletes keys. */
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
