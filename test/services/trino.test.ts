// Smoke test of the local Trino with the Hive connector: Parquet files written by DuckDB
// are uploaded to the bucket under Hive partitions, an external table is laid over them,
// partitions are discovered, and the rows are counted exactly.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BasicAuth, Trino } from 'trino-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, runId, services, tcpProbe, trinoProbe } from './env.js';
import { testS3Client } from './s3-client.js';

const s3Up = await requireService('s3', () => tcpProbe(services.s3.endpoint));
const up = s3Up && (await requireService('trino', () => trinoProbe()));

/** Runs one statement and returns all its rows; a Trino error becomes a thrown Error. */
async function sql(trino: Trino, statement: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const result of await trino.query(statement)) {
    if (result.error) throw new Error(`Trino: ${result.error.message}\n  in: ${statement}`);
    rows.push(...(result.data ?? []));
  }
  return rows;
}

// Each file holds the events with ids in [from, to); partitions are (source, dt).
const files = [
  { source: 'sysmon', dt: '2026-11-01', name: 'part-0.parquet', from: 0, to: 1000 },
  { source: 'sysmon', dt: '2026-11-01', name: 'part-1.parquet', from: 1000, to: 1500 },
  { source: 'sysmon', dt: '2026-11-02', name: 'part-0.parquet', from: 1500, to: 1800 },
  { source: 'zeek', dt: '2026-11-01', name: 'part-0.parquet', from: 1800, to: 2021 },
];

describe.runIf(up)('trino (Hive connector over S3Proxy)', () => {
  const run = runId('smoke');
  const Bucket = services.s3.bucket;
  const prefix = `smoke/${run}`;
  const schema = `${services.trino.catalog}.${run}`;
  let s3: S3Client;
  let trino: Trino;
  let workDir: string;

  beforeAll(async () => {
    s3 = testS3Client();
    trino = Trino.create({ server: services.trino.url, catalog: services.trino.catalog, auth: new BasicAuth(services.trino.user) });
    workDir = await mkdtemp(path.join(tmpdir(), 'nightjar-trino-'));

    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    for (const f of files) {
      const local = path.join(workDir, `${f.source}-${f.dt}-${f.name}`);
      await conn.run(
        `COPY (SELECT 'host-' || (i % 37)::VARCHAR AS host, i AS event_id, i * 3 AS bytes
               FROM range(${f.from}, ${f.to}) t(i))
         TO '${local}' (FORMAT PARQUET)`,
      );
      const Key = `${prefix}/events/source=${f.source}/dt=${f.dt}/${f.name}`;
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: await readFile(local) }));
    }
    conn.closeSync();
    duck.closeSync();
  });

  afterAll(async () => {
    if (trino) {
      await sql(trino, `DROP TABLE IF EXISTS ${schema}.events`).catch(() => undefined);
      await sql(trino, `DROP TABLE IF EXISTS ${schema}.host_totals`).catch(() => undefined);
      await sql(trino, `DROP SCHEMA IF EXISTS ${schema}`).catch(() => undefined);
    }
    if (s3) {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `${prefix}/` }));
      const Objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (Objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } }));
      s3.destroy();
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('creates an external table over partitioned Parquet, syncs partitions and counts exactly', async () => {
    // No schema location: the file metastore puts managed tables under its own directory.
    await sql(trino, `CREATE SCHEMA ${schema}`);
    await sql(
      trino,
      `CREATE TABLE ${schema}.events (host VARCHAR, event_id BIGINT, bytes BIGINT, source VARCHAR, dt VARCHAR)
       WITH (external_location = 's3://${Bucket}/${prefix}/events', format = 'PARQUET',
             partitioned_by = ARRAY['source', 'dt'])`,
    );
    // Before the sync the metastore knows no partition, so the table reads empty.
    expect(await sql(trino, `SELECT count(*) FROM ${schema}.events`)).toEqual([[0]]);

    await sql(trino, `CALL ${services.trino.catalog}.system.sync_partition_metadata('${run}', 'events', 'ADD')`);

    const partitions = await sql(trino, `SELECT source, dt FROM ${schema}."events$partitions" ORDER BY source, dt`);
    expect(partitions).toEqual([
      ['sysmon', '2026-11-01'],
      ['sysmon', '2026-11-02'],
      ['zeek', '2026-11-01'],
    ]);

    const expected = new Map<string, { rows: number; idSum: number }>();
    for (const f of files) {
      const key = `${f.source}|${f.dt}`;
      const e = expected.get(key) ?? { rows: 0, idSum: 0 };
      for (let i = f.from; i < f.to; i++) e.idSum += i;
      e.rows += f.to - f.from;
      expected.set(key, e);
    }
    const counted = await sql(
      trino,
      `SELECT source, dt, count(*), sum(event_id) FROM ${schema}.events GROUP BY source, dt ORDER BY source, dt`,
    );
    expect(counted).toEqual([...expected.entries()].map(([k, e]) => [...k.split('|'), e.rows, e.idSum]));

    const total = files.reduce((n, f) => n + f.to - f.from, 0);
    expect(await sql(trino, `SELECT count(*) FROM ${schema}.events`)).toEqual([[total]]);
    // Partition pruning reads only the matching directory.
    expect(await sql(trino, `SELECT count(DISTINCT host) FROM ${schema}.events WHERE source = 'zeek'`)).toEqual([[37]]);
  });

  // dbt-trino materialises models this way: Trino writes Parquet into the bucket itself.
  it('writes a managed table into the bucket with CREATE TABLE AS and reads it back', async () => {
    await sql(
      trino,
      `CREATE TABLE ${schema}.host_totals WITH (format = 'PARQUET') AS
       SELECT host, count(*) AS events, sum(bytes) AS bytes FROM ${schema}.events GROUP BY host`,
    );
    const rows = await sql(trino, `SELECT count(*), sum(events) FROM ${schema}.host_totals`);
    expect(rows).toEqual([[37, files.reduce((n, f) => n + f.to - f.from, 0)]]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `metastore/${run}/host_totals/` }));
    expect((listed.Contents ?? []).length).toBeGreaterThan(0);
  });
});
