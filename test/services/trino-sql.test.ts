// The SQL conformance suite on Trino: the lake the DuckDB run reads is built the same
// way (by the lake sink), its files are uploaded unchanged to S3, and the Hive tables
// are created and synced by the sink's own DDL.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { S3ObjectStore } from '../../warehouse/objectstore/s3.js';
import { ensureTrinoTables, SINK_TABLES, syncTrinoPartitions, type SinkTable } from '../../warehouse/sink/trino-tables.js';
import { TrinoEngine } from '../../warehouse/sql/trino.js';
import { buildLake, sqlConformance } from '../conformance/sql.js';
import { requireService, runId, services, tcpProbe, trinoProbe } from './env.js';

const up = (await requireService('s3', () => tcpProbe(services.s3.endpoint))) && (await requireService('trino', () => trinoProbe()));

describe.runIf(up)('Trino SQL engine', () => {
  const id = runId('sqlconf');
  let s3: S3ObjectStore | undefined;
  let trino: TrinoEngine | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    if (trino) {
      for (const t of Object.keys(SINK_TABLES)) await trino.query(`DROP TABLE IF EXISTS ${id}.${t}`).catch(() => undefined);
      await trino.query(`DROP SCHEMA IF EXISTS ${id}`).catch(() => undefined);
    }
    if (s3) {
      await s3.delete((await s3.list('')).map((o) => o.key));
      await s3.close();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  sqlConformance('Trino (Hive tables over S3)', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-sqlt-'));
    const local = await LocalObjectStore.create(path.join(dir, 'lake'));
    await buildLake(local);
    s3 = await S3ObjectStore.create({
      endpoint: services.s3.endpoint, region: services.s3.region, bucket: services.s3.bucket, prefix: `sqlconf/${id}`,
      accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey,
    });
    for (const o of await local.list('')) if (!o.key.startsWith('_sink/')) await s3.putFile(o.key, local.pathOf(o.key));
    trino = await TrinoEngine.create({ server: services.trino.url, catalog: services.trino.catalog, schema: id, user: services.trino.user, password: null });
    const loc = { catalog: services.trino.catalog, schema: id, root: s3.uri() };
    await ensureTrinoTables(trino, loc);
    for (const t of Object.keys(SINK_TABLES) as SinkTable[]) await syncTrinoPartitions(trino, loc, t);
    return trino;
  });
});
