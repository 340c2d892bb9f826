// The same lake on both engines: DuckDB reading the Parquet files, Trino reading Hive
// tables over the same files in S3. The dbt models must give identical baselines, and
// the loop on the scale-out stack (Trino → Redis → rarity stage) flags exactly the new
// and rare keys of a new day.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbtProbe, requireService, runId, services, tcpProbe, trinoProbe } from './env.js';
import { testS3Client } from './s3-client.js';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { S3ObjectStore } from '../../warehouse/objectstore/s3.js';
import type { ObjectStore } from '../../warehouse/objectstore/port.js';
import { LakeWriter } from '../../warehouse/lake/lake-writer.js';
import { DuckDbEngine, DuckDbParquetEncoder } from '../../warehouse/sql/duckdb.js';
import { TrinoEngine } from '../../warehouse/sql/trino.js';
import { ensureTrinoTables, syncTrinoPartitions } from '../../warehouse/sink/trino-tables.js';
import { buildBaselines } from '../../warehouse/baselines/build.js';
import { loadBaselines } from '../../warehouse/baselines/load.js';
import { readKind, readTotals, type BaselineLocation } from '../../warehouse/baselines/read-tables.js';
import { RARITY_KINDS } from '../../stream/rarity/keys.js';
import { RedisStateStore } from '../../stream/state/redis.js';
import { RarityStage } from '../../stream/rarity/stage.js';
import { DEFAULT_THRESHOLDS } from '../../stream/rarity/score.js';
import { AS_OF, expectedFlagged, flaggedKeys, historyEvents, newDayEvents } from '../baselines/history-lake.js';

const up =
  (await requireService('s3', () => tcpProbe(services.s3.endpoint))) &&
  (await requireService('trino', () => trinoProbe())) &&
  (await requireService('redis', () => tcpProbe(services.redis.url))) &&
  (await requireService('dbt', () => dbtProbe(), 60_000));

async function writeLake(store: ObjectStore): Promise<void> {
  const lake = new LakeWriter({ store, encoder: await DuckDbParquetEncoder.create() });
  await lake.write(historyEvents(), []);
  await lake.close();
}

describe.runIf(up)('baselines on DuckDB and on Trino over the same lake', () => {
  const run = runId('bl');
  const prefix = `baselines-test/${run}`;
  const trinoLake = { catalog: services.trino.catalog, schema: run, root: `s3://${services.s3.bucket}/${prefix}` };
  const trinoTarget = { server: services.trino.url, catalog: services.trino.catalog, schema: `${run}_bl`, user: services.trino.user, password: null };
  let dir: string;
  let duck: DuckDbEngine;
  let trino: TrinoEngine;
  let duckLoc: BaselineLocation;
  let trinoLoc: BaselineLocation;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nj-bl-trino-'));
    await writeLake(await LocalObjectStore.create(path.join(dir, 'lake')));
    await writeLake(await S3ObjectStore.create({
      endpoint: services.s3.endpoint, region: services.s3.region, bucket: services.s3.bucket, prefix,
      accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey, createBucket: true,
    }));
    trino = await TrinoEngine.create({ server: services.trino.url, catalog: services.trino.catalog, schema: run, user: services.trino.user, password: null });
    await ensureTrinoTables(trino, trinoLake);
    await syncTrinoPartitions(trino, trinoLake, 'events');

    const common = { dbt: services.dbt.bin, baselinesDir: path.join(dir, 'baselines'), lakePath: path.join(dir, 'lake'), trino: trinoTarget, lakeCatalog: trinoLake.catalog, lakeSchema: run, baselineDays: 30, asOf: AS_OF };
    duckLoc = (await buildBaselines({ ...common, engine: 'duckdb' })).location;
    trinoLoc = (await buildBaselines({ ...common, engine: 'trino' })).location;
    duck = await DuckDbEngine.create();
  }, 600_000);

  afterAll(async () => {
    await duck?.close();
    if (trino) {
      for (const schema of [trinoTarget.schema, run]) {
        const tables = await trino.query(`SELECT table_name FROM ${services.trino.catalog}.information_schema.tables WHERE table_schema = ?`, [schema]).catch(() => ({ rows: [] }));
        for (const [t] of tables.rows) await trino.query(`DROP TABLE IF EXISTS ${services.trino.catalog}."${schema}"."${String(t)}"`).catch(() => undefined);
        await trino.query(`DROP SCHEMA IF EXISTS ${services.trino.catalog}."${schema}"`).catch(() => undefined);
      }
      await trino.close();
    }
    const s3 = testS3Client();
    for (;;) {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: services.s3.bucket, Prefix: `${prefix}/` }));
      const Objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (Objects.length === 0) break;
      await s3.send(new DeleteObjectsCommand({ Bucket: services.s3.bucket, Delete: { Objects } }));
    }
    s3.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives identical totals and identical keys of every kind', async () => {
    expect(await readTotals(trino, trinoLoc)).toEqual(await readTotals(duck, duckLoc));
    for (const kind of RARITY_KINDS) {
      const fromDuck = await readKind(duck, duckLoc, kind);
      expect(fromDuck.length).toBeGreaterThan(0);
      expect(await readKind(trino, trinoLoc, kind)).toEqual(fromDuck);
    }
  });

  it('runs the loop on Trino and Redis: a new day flags exactly its new and rare keys', async () => {
    const state = await RedisStateStore.create(services.redis.url, `${run}:`);
    try {
      await loadBaselines({ sql: trino, location: trinoLoc, state, versionTtlSeconds: 600, graceSeconds: 30 });
      const events = newDayEvents();
      await new RarityStage(state, { thresholds: DEFAULT_THRESHOLDS, pointerRefreshMs: 1_000 }).run(events);
      expect(flaggedKeys(events)).toEqual(expectedFlagged());
    } finally {
      await state.close();
    }
  });
});
