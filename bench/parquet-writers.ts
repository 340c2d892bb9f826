/**
 * Which Parquet writer should the lake use? Writes the same realistic NightjarEvents
 * (fields map, geo/site structs, stats and flags lists of structs) with each candidate,
 * in one run, and reports rows/s, file size and the ratio to the fastest; then reads
 * every file back in DuckDB and checks the row count, a map lookup and a flags unnest.
 *
 *   npm run build && node dist/bench/parquet-writers.js [--rows 100000]
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  DuckDBConnection, DuckDBDataChunkWriter, DuckDBInstance, JSToDuckDBValueConverter, type JS,
} from '@duckdb/node-api';
import { EVENT_SCHEMA } from '../schema/event.js';
import type { NightjarEvent } from '../schema/types.js';
import { avroToDuckDbColumns, quoteIdent } from '../warehouse/lake/columns.js';
import { writeEventsParquet } from '../warehouse/lake/parquet-file.js';
import { DuckDbParquetEncoder } from '../warehouse/sql/duckdb.js';
import { loadWindowsEvents } from './lake-rows.js';

const require = createRequire(import.meta.url);
// parquetjs-lite is CommonJS without types; only the bench touches it.
const parquetjs = require('parquetjs-lite') as {
  ParquetSchema: new (def: unknown) => unknown;
  ParquetWriter: { openFile(schema: unknown, file: string, opts?: unknown): Promise<{ appendRow(r: unknown): Promise<void>; close(): Promise<void>; setRowGroupSize(n: number): void }> };
};

type AvroField = { name: string; type: unknown };
const FIELDS = EVENT_SCHEMA.fields as readonly AvroField[];
const NAMED: Record<string, { fields: readonly AvroField[] }> = {};

// ---- parquetjs-lite ---------------------------------------------------------------

function parquetjsField(t: unknown, optional: boolean): Record<string, unknown> {
  if (Array.isArray(t)) return parquetjsField(t.find((b) => b !== 'null'), true);
  if (typeof t === 'string') {
    const prim: Record<string, string> = { string: 'UTF8', int: 'INT32', long: 'INT64', double: 'DOUBLE', boolean: 'BOOLEAN', bytes: 'BYTE_ARRAY' };
    if (prim[t]) return { type: prim[t], optional, compression: 'SNAPPY' };
    return parquetjsField(NAMED[t], optional);
  }
  const o = t as Record<string, unknown>;
  if (o['logicalType'] === 'timestamp-millis') return { type: 'TIMESTAMP_MILLIS', optional, compression: 'SNAPPY' };
  if (o['type'] === 'record') {
    NAMED[o['name'] as string] = o as { fields: AvroField[] };
    return { optional, fields: Object.fromEntries((o['fields'] as AvroField[]).map((f) => [f.name, parquetjsField(f.type, false)])) };
  }
  if (o['type'] === 'map') {
    return { type: 'MAP', optional, fields: { key_value: { repeated: true, fields: { key: { type: 'UTF8', compression: 'SNAPPY' }, value: parquetjsField(o['values'], false) } } } };
  }
  if (o['type'] === 'array') {
    return { type: 'LIST', optional, fields: { list: { repeated: true, fields: { element: parquetjsField(o['items'], false) } } } };
  }
  return parquetjsField(o['type'], optional);
}

/** parquetjs-lite wants the repeated groups spelled out: {list: [{element}]}, {key_value: [{key, value}]}. */
function parquetjsValue(t: unknown, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (Array.isArray(t)) return parquetjsValue(t.find((b) => b !== 'null'), v);
  if (typeof t === 'string') return NAMED[t] ? parquetjsValue({ type: 'record', ...NAMED[t] }, v) : v;
  const o = t as Record<string, unknown>;
  if (o['logicalType'] === 'timestamp-millis') return new Date(v as number);
  if (o['type'] === 'record') {
    return Object.fromEntries((o['fields'] as AvroField[]).map((f) => [f.name, parquetjsValue(f.type, (v as Record<string, unknown>)[f.name])]));
  }
  if (o['type'] === 'map') return { key_value: Object.entries(v as object).map(([key, value]) => ({ key, value: parquetjsValue(o['values'], value) })) };
  if (o['type'] === 'array') return { list: (v as unknown[]).map((element) => ({ element: parquetjsValue(o['items'], element) })) };
  return typeof o['type'] === 'string' ? v : parquetjsValue(o['type'], v);
}

async function writeParquetjs(rows: NightjarEvent[], file: string): Promise<void> {
  const schema = new parquetjs.ParquetSchema(Object.fromEntries(FIELDS.map((f) => [f.name, parquetjsField(f.type, false)])));
  const writer = await parquetjs.ParquetWriter.openFile(schema, file);
  writer.setRowGroupSize(20_000);
  const record = { type: 'record', name: 'Event', fields: FIELDS };
  for (const e of rows) await writer.appendRow(parquetjsValue(record, e));
  await writer.close();
}

// ---- hyparquet-writer -------------------------------------------------------------

async function writeHyparquet(rows: NightjarEvent[], file: string): Promise<void> {
  writeEventsParquet(rows, file);
}

// ---- DuckDB -----------------------------------------------------------------------

const DUCK_COLUMNS = avroToDuckDbColumns(EVENT_SCHEMA);
const TABLE_DDL = DUCK_COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');

function duckRow(e: NightjarEvent): (JS | null)[] {
  return DUCK_COLUMNS.map((c) => {
    const v = (e as unknown as Record<string, unknown>)[c.name];
    if (c.name === 'ts') return new Date(e.ts);
    if (c.name === 'fields') return Object.entries(e.fields).map(([key, value]) => ({ key, value }));
    return v as JS | null;
  });
}

async function writeDuckAppender(conn: DuckDBConnection, rows: NightjarEvent[], file: string): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE bench_events (${TABLE_DDL})`);
  const appender = await conn.createAppender('bench_events');
  const writer = DuckDBDataChunkWriter.forAppender<JS>(appender, { converter: JSToDuckDBValueConverter });
  for (const e of rows) writer.appendRow(duckRow(e));
  writer.flush();
  appender.closeSync();
  await conn.run(`COPY bench_events TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);
  await conn.run('DROP TABLE bench_events');
}

async function writeDuckJson(conn: DuckDBConnection, rows: NightjarEvent[], file: string, compression: 'zstd' | 'snappy'): Promise<void> {
  const json = `${file}.ndjson`;
  await writeFile(json, rows.map((e) => JSON.stringify(e)).join('\n'));
  const columns = DUCK_COLUMNS.map((c) => `${quoteIdent(c.name)}: '${c.name === 'ts' ? 'BIGINT' : c.type.replace(/'/g, "''")}'`).join(', ');
  const select = DUCK_COLUMNS.map((c) => (c.name === 'ts' ? 'epoch_ms(ts) AS ts' : quoteIdent(c.name))).join(', ');
  await conn.run(
    `COPY (SELECT ${select} FROM read_json('${json}', format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 67108864))
     TO '${file}' (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE 100000)`,
  );
  await rm(json);
}

// ---- run --------------------------------------------------------------------------

interface Candidate {
  name: string;
  write: (rows: NightjarEvent[], file: string) => Promise<void>;
}

async function verify(conn: DuckDBConnection, file: string, rows: NightjarEvent[]): Promise<string> {
  const want = {
    count: rows.length,
    eventId10: rows.filter((e) => e.fields['EventID'] === '10').length,
    lolbin: rows.reduce((n, e) => n + e.flags.filter((f) => f.rule === 'lolbin_execution').length, 0),
    firstTs: new Date(rows[0]!.ts).toISOString(),
  };
  const r = await conn.runAndReadAll(
    `SELECT count(*)::INTEGER,
            count(*) FILTER (WHERE fields['EventID'] = '10')::INTEGER,
            (SELECT count(*)::INTEGER FROM (SELECT unnest(flags) AS f FROM read_parquet('${file}')) WHERE f.rule = 'lolbin_execution'),
            strftime(min(ts) FILTER (WHERE origin = ? AND origin_offset = ?), '%Y-%m-%dT%H:%M:%S.%gZ')
     FROM read_parquet('${file}')`,
    [rows[0]!.origin, rows[0]!.origin_offset],
  );
  const [count, eventId10, lolbin, firstTs] = r.getRowsJS()[0] as [number, number, number, string];
  const got = { count, eventId10, lolbin, firstTs };
  const ok = JSON.stringify(got) === JSON.stringify(want);
  return ok ? `ok (${count} rows, ${eventId10} EventID=10, ${lolbin} flags)` : `MISMATCH got ${JSON.stringify(got)} want ${JSON.stringify(want)}`;
}

async function main(): Promise<void> {
  const argRows = process.argv.indexOf('--rows');
  const n = argRows > 0 ? Number(process.argv[argRows + 1]) : 100_000;
  const t0 = performance.now();
  const rows = loadWindowsEvents(n);
  console.log(`built ${rows.length} events from the shared Windows files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-bench-'));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const lakeEncoder = await DuckDbParquetEncoder.create();
  const candidates: Candidate[] = [
    { name: 'parquetjs-lite (snappy)', write: writeParquetjs },
    { name: 'hyparquet-writer (snappy)', write: writeHyparquet },
    { name: 'duckdb appender + COPY (zstd)', write: (r, f) => writeDuckAppender(conn, r, f) },
    { name: 'duckdb read_json + COPY (zstd)', write: (r, f) => writeDuckJson(conn, r, f, 'zstd') },
    { name: 'duckdb read_json + COPY (snappy)', write: (r, f) => writeDuckJson(conn, r, f, 'snappy') },
    { name: 'lake DuckDbParquetEncoder (appender, zstd level 1)', write: (r, f) => lakeEncoder.write('events', r, f) },
  ];
  const results: { name: string; seconds: number; bytes: number; check: string }[] = [];
  const warm = rows.slice(0, 2_000);
  for (const [i, c] of candidates.entries()) {
    await c.write(warm, path.join(dir, `warm-${i}.parquet`)); // JIT and DuckDB caches
    const file = path.join(dir, `out-${i}.parquet`);
    const start = performance.now();
    await c.write(rows, file);
    const seconds = (performance.now() - start) / 1000;
    results.push({ name: c.name, seconds, bytes: (await stat(file)).size, check: await verify(conn, file, rows) });
    console.log(`${c.name}: ${seconds.toFixed(2)} s`);
  }
  const fastest = Math.min(...results.map((r) => r.seconds));
  console.log(`\n| writer | rows/s | file MiB | time vs fastest | read back in DuckDB |\n|---|---:|---:|---:|---|`);
  for (const r of results) {
    console.log(`| ${r.name} | ${Math.round(rows.length / r.seconds).toLocaleString('en-US')} | ${(r.bytes / 2 ** 20).toFixed(1)} | ${(r.seconds / fastest).toFixed(2)}x | ${r.check} |`);
  }
  await lakeEncoder.close();
  conn.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
}

await main();
