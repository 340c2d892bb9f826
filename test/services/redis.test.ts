// Smoke test of the local Redis through ioredis: the operations the state store relies on.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, runId, services, tcpProbe } from './env.js';

const up = await requireService('redis', () => tcpProbe(services.redis.url));

describe.runIf(up)('redis (real server)', () => {
  let redis: Redis;
  const prefix = runId('smoke');

  beforeAll(async () => {
    redis = new Redis(services.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('SET NX writes once and refuses the second writer', async () => {
    const key = `${prefix}:first-seen`;
    expect(await redis.set(key, 'worker-a', 'EX', 60, 'NX')).toBe('OK');
    expect(await redis.set(key, 'worker-b', 'EX', 60, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('worker-a');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('PFADD/PFCOUNT estimate distinct members within the HyperLogLog error', async () => {
    const key = `${prefix}:hosts`;
    const members = Array.from({ length: 5000 }, (_, i) => `host-${i}`);
    // Two overlapping halves: the union has exactly 5000 distinct members.
    await redis.pfadd(key, ...members.slice(0, 3000));
    await redis.pfadd(key, ...members.slice(2000));
    expect(await redis.pfadd(key, 'host-0')).toBe(0);
    const estimate = await redis.pfcount(key);
    // Redis' HLL has a standard error of 0.81%; 3% is nearly four sigma.
    expect(Math.abs(estimate - 5000) / 5000).toBeLessThan(0.03);
  });

  it('a pipeline applies every command in order and returns each result', async () => {
    const counter = `${prefix}:count`;
    const hash = `${prefix}:pair`;
    const results = await redis
      .pipeline()
      .incrby(counter, 5)
      .incrby(counter, 7)
      .hincrby(hash, 'powershell.exe>rundll32.exe', 1)
      .hincrby(hash, 'powershell.exe>rundll32.exe', 1)
      .expire(counter, 60)
      .get(counter)
      .exec();
    expect(results).not.toBeNull();
    const values = results!.map(([err, value]) => {
      expect(err).toBeNull();
      return value;
    });
    expect(values).toEqual([5, 12, 1, 2, 1, '12']);
  });
});
