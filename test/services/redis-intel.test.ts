// Threat intel and hash prevalence in scale-out: the indicator set and the prevalence
// state live in the real Redis and are shared by two independent "workers" (two store
// connections, two stages), under a key prefix unique to this run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisStateStore } from '../../stream/state/redis.js';
import { IntelStage } from '../../stream/enrich/intel-stage.js';
import { stateStoreFeedLookup } from '../../stream/enrich/intel/feed-lookups.js';
import { StateStoreIndicatorLookup, importIndicators } from '../../stream/enrich/intel/state-index.js';
import { IndicatorSet } from '../../stream/enrich/intel/indicator-set.js';
import { readFeed } from '../../stream/enrich/intel/feed.js';
import { PrevalenceStage } from '../../stream/enrich/prevalence-stage.js';
import { makeEvent } from '../fixtures/event.js';
import { repoRoot } from '../testdata.js';
import { requireService, runId, services, tcpProbe } from './env.js';

const up = await requireService('redis', () => tcpProbe(services.redis.url));
const fixture = (name: string) => join(repoRoot, 'test/fixtures/intel', name);

describe.runIf(up)('intel and prevalence on the real Redis', () => {
  const prefix = `${runId('intel')}:`;
  let a: RedisStateStore;
  let b: RedisStateStore;

  beforeAll(async () => {
    a = await RedisStateStore.create(services.redis.url, prefix);
    b = await RedisStateStore.create(services.redis.url, prefix);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    const redis = new Redis(services.redis.url);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('a feed imported by one worker is matched by another, domains by parent and addresses by range', async () => {
    const importer = stateStoreFeedLookup(a, ['bundle.stix.json', 'event.misp.json', 'pulse.otx.json'].map((n) => ({ path: fixture(n), format: 'auto' as const })));
    await importer.refresh();
    const reader = new IntelStage(new StateStoreIndicatorLookup(b), { refreshMs: 0, cacheSize: 1000 });
    const events = [
      makeEvent({ dns_query: 'x.cdn.evil.example' }),
      makeEvent({ dst_ip: '198.51.100.99' }),
      makeEvent({ sha256: '4F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8' }),
      makeEvent({ dst_ip: '192.0.2.1', dns_query: 'benign.test' }),
    ];
    await reader.run(events);
    expect(events.map((e) => e.intel?.map((m) => `${m.field}:${m.indicator}`) ?? [])).toEqual([
      ['dns_query:cdn.evil.example'],
      ['dst_ip:198.51.100.0/25'],
      ['sha256:4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8'],
      [],
    ]);
    expect(events[2]!.intel![0]!.sources).toEqual(['bundle.stix.json', 'event.misp.json']);
  });

  it('a re-import switches every reader to the new version; the version before the previous is deleted', async () => {
    const reader = new StateStoreIndicatorLookup(b);
    const v1 = await importIndicators(a, new IndicatorSet().addAll(readFeed({ path: fixture('blocklist.txt'), format: 'auto' }).indicators).values());
    await reader.refresh();
    expect((await reader.getMany(['domain|badsite.test']))[0]?.value).toBe('badsite.test');
    const v2 = await importIndicators(a, new IndicatorSet().addAll(readFeed({ path: fixture('indicators.csv'), format: 'auto' }).indicators).values());
    await importIndicators(a, new IndicatorSet().addAll(readFeed({ path: fixture('pulse.otx.json'), format: 'auto' }).indicators).values());
    await reader.refresh();
    expect((await reader.getMany(['domain|badsite.test', 'domain|cdn.evil.example'])).map((i) => i?.value ?? null)).toEqual([null, 'cdn.evil.example']);
    const redis = new Redis(services.redis.url);
    try {
      expect(await redis.keys(`${prefix}intel:${v1.version}:*`)).toEqual([]);
      expect((await redis.keys(`${prefix}intel:${v2.version}:*`)).length).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });

  it('prevalence counted by two workers adds up, with hosts and users unioned over the window days', async () => {
    const T0 = Date.UTC(2024, 4, 1, 12);
    const DAY = 86_400_000;
    const h = 'c'.repeat(64);
    const ev = (host: string, user: string, ts: number) => makeEvent({ event_type: 'process_start', sha256: h, host, user, ts });
    await new PrevalenceStage(a, 7).run([ev('h1', 'u1', T0 - 2 * DAY), ev('h2', 'u1', T0 - DAY)]);
    await new PrevalenceStage(b, 7).run([ev('h2', 'u2', T0 - DAY), ev('h3', 'u3', T0 - 9 * DAY)]);
    const last = [ev('h1', 'u4', T0)];
    await new PrevalenceStage(a, 7).run(last);
    expect(last[0]!.prevalence).toEqual({ hash: h, count: 4, hosts: 2, users: 3, window_days: 7 });
    const redis = new Redis(services.redis.url);
    try {
      const ttl = await redis.ttl(`${prefix}prevh:exec:sha256:${h}:${Math.floor(T0 / DAY)}`);
      expect(ttl).toBeGreaterThan(7 * 86_400);
      expect(ttl).toBeLessThanOrEqual(8 * 86_400);
    } finally {
      await redis.quit();
    }
  });
});
