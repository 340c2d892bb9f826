/**
 * The scale-out state store on Redis, the only file importing ioredis. Every method is
 * one pipeline, so a stage's batch costs one round trip whatever its size. Keys carry a
 * prefix so several deployments (or test runs) can share one Redis.
 */
import { Redis } from 'ioredis';
import type { ScoreUpdate, StateStore } from './port.js';
import { NightjarError } from '../../core/errors.js';

type Reply = [Error | null, unknown][] | null;

export class RedisStateStore implements StateStore {
  readonly name = 'redis';

  private constructor(private readonly redis: Redis, private readonly prefix: string) {}

  static async create(url: string, prefix = 'nj:'): Promise<RedisStateStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: false });
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new NightjarError('SERVICE_UNAVAILABLE', `cannot connect to Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}: ${(err as Error).message}`, { cause: err });
    }
    return new RedisStateStore(redis, prefix);
  }

  private async exec(build: (p: ReturnType<Redis['pipeline']>) => void): Promise<unknown[]> {
    const p = this.redis.pipeline();
    build(p);
    let replies: Reply;
    try {
      replies = await p.exec();
    } catch (err) {
      throw new NightjarError('STATE_STORE_FAILED', `Redis pipeline failed: ${(err as Error).message}`, { cause: err });
    }
    return (replies ?? []).map(([err, value]) => {
      if (err) throw new NightjarError('STATE_STORE_FAILED', `Redis command failed: ${err.message}`, { cause: err });
      return value;
    });
  }

  async increment(keys: readonly string[], by = 1): Promise<number[]> {
    if (keys.length === 0) return [];
    const out = await this.exec((p) => keys.forEach((k) => p.incrby(this.prefix + k, by)));
    return out.map(Number);
  }

  async get(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return (await this.redis.mget(keys.map((k) => this.prefix + k))) as (string | null)[];
  }

  async set(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    await this.exec((p) =>
      entries.forEach(([k, v]) => (ttlSeconds === undefined ? p.set(this.prefix + k, v) : p.set(this.prefix + k, v, 'EX', Math.max(1, Math.ceil(ttlSeconds))))),
    );
  }

  async setIfAbsent(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<boolean[]> {
    if (entries.length === 0) return [];
    const out = await this.exec((p) =>
      entries.forEach(([k, v]) => (ttlSeconds === undefined ? p.set(this.prefix + k, v, 'NX') : p.set(this.prefix + k, v, 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX'))),
    );
    return out.map((r) => r === 'OK');
  }

  async hllAdd(entries: readonly (readonly [string, string])[], ttlSeconds?: number): Promise<void> {
    if (entries.length === 0) return;
    const byKey = new Map<string, string[]>();
    for (const [k, m] of entries) {
      const list = byKey.get(k);
      if (list) list.push(m);
      else byKey.set(k, [m]);
    }
    await this.exec((p) =>
      byKey.forEach((members, k) => {
        p.pfadd(this.prefix + k, ...members);
        if (ttlSeconds !== undefined) p.expire(this.prefix + k, Math.max(1, Math.ceil(ttlSeconds)));
      }),
    );
  }

  async hllCount(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const out = await this.exec((p) => keys.forEach((k) => p.pfcount(this.prefix + k)));
    return out.map(Number);
  }

  async hllCountUnion(keysPerQuery: readonly (readonly string[])[]): Promise<number[]> {
    if (keysPerQuery.length === 0) return [];
    const out = await this.exec((p) => keysPerQuery.forEach((keys) => (keys.length ? p.pfcount(...keys.map((k) => this.prefix + k)) : p.echo('0'))));
    return out.map(Number);
  }

  async zUpdate(updates: readonly ScoreUpdate[], ttlSeconds?: number): Promise<void> {
    if (updates.length === 0) return;
    await this.exec((p) => {
      const touched = new Set<string>();
      for (const u of updates) {
        const key = this.prefix + u.key;
        touched.add(key);
        if (u.mode === 'add') p.zincrby(key, u.score, u.member);
        // LT/GT only restrict updates of existing members; new members are added (Redis 6.2+)
        else p.zadd(key, u.mode === 'min' ? 'LT' : 'GT', u.score, u.member);
      }
      if (ttlSeconds !== undefined) for (const key of touched) p.expire(key, Math.max(1, Math.ceil(ttlSeconds)));
    });
  }

  async zTop(keys: readonly string[], limit: number): Promise<[string, number][][]> {
    if (keys.length === 0) return [];
    if (limit <= 0) return keys.map(() => []);
    const out = await this.exec((p) => keys.forEach((k) => p.zrange(this.prefix + k, 0, limit - 1, 'REV', 'WITHSCORES')));
    return out.map((flat) => {
      const list = flat as string[];
      const pairs: [string, number][] = [];
      for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i]!, Number(list[i + 1])]);
      return pairs;
    });
  }

  async zScores(entries: readonly (readonly [string, string])[]): Promise<(number | null)[]> {
    if (entries.length === 0) return [];
    const out = await this.exec((p) => entries.forEach(([k, m]) => p.zscore(this.prefix + k, m)));
    return out.map((v) => (v === null || v === undefined ? null : Number(v)));
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
