// The baseline loop with the scale-out state store: a history lake → dbt on DuckDB →
// loaded into Redis → the rarity stage flags exactly the new and rare keys of a new day;
// and a switch to a new version while the stage runs never exposes a half-loaded one.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbtProbe, requireService, runId, services, tcpProbe } from './env.js';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { LakeWriter } from '../../warehouse/lake/lake-writer.js';
import { DuckDbEngine, DuckDbParquetEncoder } from '../../warehouse/sql/duckdb.js';
import { buildBaselines } from '../../warehouse/baselines/build.js';
import { loadBaselines } from '../../warehouse/baselines/load.js';
import { publishBaseline } from '../../warehouse/baselines/publish.js';
import { RedisStateStore } from '../../stream/state/redis.js';
import { RarityStage } from '../../stream/rarity/stage.js';
import { DEFAULT_THRESHOLDS } from '../../stream/rarity/score.js';
import { LIVE_POINTER } from '../../stream/rarity/layout.js';
import { makeEvent } from '../fixtures/event.js';
import { AS_OF, expectedFlagged, flaggedKeys, historyEvents, newDayEvents } from '../baselines/history-lake.js';

const up = (await requireService('redis', () => tcpProbe(services.redis.url))) && (await requireService('dbt', () => dbtProbe(), 60_000));

describe.runIf(up)('baseline loop on DuckDB and Redis', () => {
  const prefix = `${runId('bl')}:`;
  let dir: string;
  let sql: DuckDbEngine;
  let state: RedisStateStore;
  const location = () => ({ engine: 'duckdb' as const, tablesDir: path.join(dir, 'baselines', 'duckdb', 'tables') });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nj-bl-redis-'));
    const lake = new LakeWriter({ store: await LocalObjectStore.create(path.join(dir, 'lake')), encoder: await DuckDbParquetEncoder.create() });
    await lake.write(historyEvents(), []);
    await lake.close();
    await buildBaselines({
      engine: 'duckdb', dbt: services.dbt.bin, baselinesDir: path.join(dir, 'baselines'), lakePath: path.join(dir, 'lake'),
      trino: { server: services.trino.url, catalog: 'hive', schema: 'unused', user: 'nightjar', password: null },
      lakeCatalog: 'hive', lakeSchema: 'nightjar', baselineDays: 30, asOf: AS_OF,
    });
    sql = await DuckDbEngine.create();
    state = await RedisStateStore.create(services.redis.url, prefix);
  }, 300_000);

  afterAll(async () => {
    await sql?.close();
    // versions expire by TTL; the pointer has none
    await state?.delete([LIVE_POINTER]);
    await state?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('flags exactly the new and the rare keys of a new day', async () => {
    const loaded = await loadBaselines({ sql, location: location(), state, versionTtlSeconds: 600, graceSeconds: 30 });
    expect(await state.get([LIVE_POINTER])).toEqual([loaded.version]);
    const events = newDayEvents();
    await new RarityStage(state, { thresholds: DEFAULT_THRESHOLDS, pointerRefreshMs: 1_000 }).run(events);
    expect(flaggedKeys(events)).toEqual(expectedFlagged());
  });

  it('a switch while the stage runs never exposes a half-loaded version', async () => {
    const images = Array.from({ length: 300 }, (_, i) => `c:\\tools\\t${i}.exe`);
    const totals = { window_start: '2024-02-01', window_end: AS_OF, baseline_days: 30, events: 1, total_hosts: 50, total_users: 1 };
    const publish = (gen: number) => publishBaseline({
      state, engine: 'duckdb', totals, versionTtlSeconds: 600, graceSeconds: 30, chunkSize: 20,
      rows: [images.map((key) => ({ kind: 'process_image' as const, key, events: gen, hosts: gen, first_seen: 0, last_seen: 0 }))],
    });
    await publish(1);
    const stage = new RarityStage(state, { thresholds: DEFAULT_THRESHOLDS, pointerRefreshMs: 0 });
    let publishing = true;
    const seen = new Set<number>();
    const reader = (async () => {
      while (publishing) {
        const batch = images.map((p) => makeEvent({ process_path: p, sha256: null, parent_process: null }));
        await stage.run(batch);
        const hosts = new Set(batch.map((e) => e.rarity!.find((r) => r.kind === 'process_image')!.hosts));
        expect(hosts.size).toBe(1);
        expect(hosts.has(0)).toBe(false);
        seen.add([...hosts][0]!);
      }
    })();
    for (const gen of [2, 3, 4]) await publish(gen);
    publishing = false;
    await reader;
    expect(seen.size).toBeGreaterThanOrEqual(2);
  });
});
