import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NightjarEvent } from '../../schema/types.js';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { LakeWriter } from '../../warehouse/lake/lake-writer.js';
import type { ParquetEncoder } from '../../warehouse/lake/parquet-encoder.js';
import { HyparquetEncoder } from '../../warehouse/lake/parquet-file.js';
import { DuckDbEngine, DuckDbParquetEncoder } from '../../warehouse/sql/duckdb.js';
import { makeDeadLetter, makeEvent } from './synthetic-events.js';

const H10 = Date.UTC(2024, 2, 1, 10, 5);
const H11 = Date.UTC(2024, 2, 1, 11, 40);
const lolbin = { rule: 'lolbin_execution', score: 60, reason: 'certutil.exe is on the watch list' };
const firstSeen = { rule: 'first_seen_parent_child', score: 30, reason: 'winword.exe>certutil.exe never seen before' };

/** 5 windows events at 10h, 3 at 11h (origin a.json), 4 zeek events at 10h (origin b.log); 3 flagged, 4 flags. */
function batch(): NightjarEvent[] {
  const events: NightjarEvent[] = [];
  for (let i = 1; i <= 8; i++) {
    events.push(makeEvent({
      ts: i <= 5 ? H10 + i : H11 + i, origin: 'a.json', origin_offset: i, host: `ws${i}`, process_id: 2 ** 40 + i,
      fields: { EventID: i === 3 ? '4688' : '1', Channel: 'Security', CommandLine: `cmd /c echo ${i}` },
      flags: i === 2 ? [lolbin, firstSeen] : i === 7 ? [lolbin] : [],
    }));
  }
  for (let i = 1; i <= 4; i++) {
    events.push(makeEvent({
      ts: H10 + 1000 * i, source: 'zeek', dataset: 'zeek.conn', event_type: 'network_connection', origin: 'b.log', origin_offset: 100 + i,
      host: null, process: null, process_path: null, process_id: null, src_ip: '10.0.0.5', dst_ip: `192.0.2.${i}`, dst_port: 443,
      fields: { uid: `C${i}`, proto: 'tcp' }, flags: i === 4 ? [lolbin] : [],
    }));
  }
  return events;
}

const encoders: [string, () => Promise<ParquetEncoder>][] = [
  ['duckdb', () => DuckDbParquetEncoder.create()],
  ['duckdb appender', () => DuckDbParquetEncoder.create({ route: 'appender' })],
  ['hyparquet-writer', async () => new HyparquetEncoder()],
];

describe.each(encoders)('LakeWriter + DuckDbEngine with the %s encoder', (_name, makeEncoder) => {
  let dir: string;
  let store: LocalObjectStore;
  let encoder: ParquetEncoder;
  let engine: DuckDbEngine;

  beforeAll(async () => {
    encoder = await makeEncoder();
  });
  afterAll(async () => {
    await encoder.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-lake-test-'));
    store = await LocalObjectStore.create(path.join(dir, 'lake'));
    engine = await DuckDbEngine.create({ lakeDir: store.root, threads: 1 });
  });
  afterEach(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lands partitions, and SQL sees exact counts, maps, flags, alerts and raw bytes', async () => {
    const writer = new LakeWriter({ store, encoder, tmpDir: path.join(dir, 'tmp') });
    const dl = makeDeadLetter({ ts: H11, source: 'windows', origin: 'a.json', origin_offset: 9 });
    const buffered = await writer.write(batch(), [dl]);
    expect(buffered.files).toEqual([]); // below the thresholds: nothing written yet
    expect(buffered.buffered).toEqual({ events: 12, dead_letters: 1 });
    expect(writer.lowestBufferedOffset('a.json')).toBe(1);

    const flushed = await writer.close();
    expect(flushed.landed).toEqual({ events: 12, dead_letters: 1 });
    expect(writer.landed).toEqual({ events: 12, dead_letters: 1 });
    expect(writer.lowestBufferedOffset('a.json')).toBeNull();
    const keys = (await store.list('')).map((o) => o.key.replace(/part-[0-9a-f]{16}-/, 'part-H-'));
    expect(keys).toEqual([
      'dead_letters/source=windows/dt=2024-03-01/hour=11/part-H-000000000009-000000000009.parquet',
      'events/source=windows/dt=2024-03-01/hour=10/part-H-000000000001-000000000005.parquet',
      'events/source=windows/dt=2024-03-01/hour=11/part-H-000000000006-000000000008.parquet',
      'events/source=zeek/dt=2024-03-01/hour=10/part-H-000000000101-000000000104.parquet',
    ]);

    const perPartition = await engine.query('SELECT source, dt, hour, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL');
    expect(perPartition).toEqual({
      columns: ['source', 'dt', 'hour', 'n'],
      rows: [['windows', '2024-03-01', 10, 5], ['windows', '2024-03-01', 11, 3], ['zeek', '2024-03-01', 10, 4]],
    });
    const lookup = await engine.query("SELECT host, fields['CommandLine'] FROM events WHERE fields['EventID'] = ?", ['4688']);
    expect(lookup.rows).toEqual([['ws3', 'cmd /c echo 3']]);
    const flags = await engine.query('SELECT f.rule, count(*) FROM (SELECT unnest(flags) AS f FROM events) GROUP BY 1 ORDER BY 1');
    expect(flags.rows).toEqual([['first_seen_parent_child', 1], ['lolbin_execution', 3]]);
    expect((await engine.query('SELECT count(*) FROM alerts')).rows).toEqual([[3]]);

    const row = await engine.query('SELECT ts, process_id, fields, flags, dst_geo, src_geo FROM events WHERE host = ?', ['ws2']);
    expect(row.rows[0]).toEqual([
      new Date(H10 + 2).toISOString(), 2 ** 40 + 2,
      { EventID: '1', Channel: 'Security', CommandLine: 'cmd /c echo 2' },
      [lolbin, firstSeen],
      { country: 'SE', city: 'Stockholm', lat: 59.33, lon: 18.06, asn: 3301, as_org: 'Telia' },
      null,
    ]);

    const dead = await engine.query('SELECT raw, code, origin_offset, hour FROM dead_letters');
    expect(dead.rows).toEqual([[dl.raw.toString('base64'), 'MALFORMED_JSON', 9, 11]]);
  });

  it('overwrites instead of duplicating when the same input is replayed', async () => {
    for (let run = 0; run < 2; run++) {
      const writer = new LakeWriter({ store, encoder });
      await writer.write(batch(), []);
      await writer.close();
    }
    expect(await store.list('events/')).toHaveLength(3);
    expect((await engine.query('SELECT count(*) FROM events')).rows).toEqual([[12]]);
  });

  it('writes a buffer as soon as it reaches maxRowsPerFile, and bounds total buffered rows', async () => {
    const writer = new LakeWriter({ store, encoder, maxRowsPerFile: 4, maxBufferedRows: 5 });
    const r = await writer.write(batch(), []);
    // windows h10 (5 rows) and zeek h10 (4 rows) are full; h11 (3 rows) fits in the budget.
    expect(r.files.map((f) => [f.table, f.rows, f.firstOffset, f.lastOffset])).toEqual([
      ['events', 5, 1, 5],
      ['events', 4, 101, 104],
    ]);
    expect(r.landed.events).toBe(9);
    expect(r.buffered.events).toBe(3);
    const r2 = await writer.write([makeEvent({ ts: H10, origin: 'c.json', origin_offset: 1 }), makeEvent({ ts: H10, origin: 'c.json', origin_offset: 2 }), makeEvent({ ts: H10, origin: 'c.json', origin_offset: 3 })], []);
    // 6 buffered > 5: the largest buffer (h11, 3 rows) goes first.
    expect(r2.files.map((f) => f.rows)).toEqual([3]);
    await writer.close();
    expect(writer.landed.events).toBe(15);
    expect((await engine.query('SELECT count(*) FROM events')).rows).toEqual([[15]]);
  });

  it('turns an event that does not fit the schema into a dead letter instead of failing the file', async () => {
    const writer = new LakeWriter({ store, encoder });
    const bad = { ...makeEvent({ origin: 'a.json', origin_offset: 50 }), dst_port: 'https' } as unknown as NightjarEvent;
    await writer.write([makeEvent({ origin: 'a.json', origin_offset: 49 }), bad], []);
    const r = await writer.close();
    expect(r.landed).toEqual({ events: 1, dead_letters: 1 });
    expect(writer.rerouted).toBe(1);
    const dead = await engine.query('SELECT stage, code, reason, origin_offset FROM dead_letters');
    expect(dead.rows).toEqual([['sink', 'SCHEMA_VIOLATION', 'event does not conform to the Avro schema: dst_port', 50]]);
  });
});

describe('DuckDbEngine', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-empty-lake-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers queries on a fresh lake with empty tables of the right columns, then sees new files', async () => {
    const engine = await DuckDbEngine.create({ lakeDir: path.join(dir, 'missing-yet') });
    try {
      const events = await engine.query("SELECT host, fields['EventID'] AS id, dt, hour FROM events WHERE len(flags) > 0");
      expect(events).toEqual({ columns: ['host', 'id', 'dt', 'hour'], rows: [] });
      expect((await engine.query('SELECT count(*) FROM alerts')).rows).toEqual([[0]]);
      expect((await engine.query('SELECT count(*) FROM dead_letters')).rows).toEqual([[0]]);
      const emptyCols = (await engine.query('SELECT * FROM events')).columns;

      const store = await LocalObjectStore.create(path.join(dir, 'missing-yet'));
      const encoder = await DuckDbParquetEncoder.create();
      const writer = new LakeWriter({ store, encoder });
      await writer.write([makeEvent()], [makeDeadLetter()]);
      await writer.close();
      await encoder.close();
      const full = await engine.query('SELECT * FROM events');
      expect(full.columns).toEqual(emptyCols);
      expect(full.rows).toHaveLength(1);
      expect((await engine.query('SELECT count(*) FROM dead_letters')).rows).toEqual([[1]]);
    } finally {
      await engine.close();
    }
  });

  it('binds ? parameters, converts values to plain JSON, and reports SQL errors as SQL_FAILED', async () => {
    const engine = await DuckDbEngine.create();
    try {
      const r = await engine.query(
        "SELECT ? AS s, ? + 1 AS n, ? AS b, ? AS z, 9007199254740993::BIGINT AS big, 42::BIGINT AS small, DATE '2024-03-01' AS d, '\\x00\\xFF'::BLOB AS blob, MAP {'k': [1, 2]} AS m LIMIT ?",
        ["it's", 41, true, null, 1],
      );
      expect(r.rows).toEqual([["it's", 42, true, null, '9007199254740993', 42, '2024-03-01', 'AP8=', { k: [1, 2] }]]);
      await expect(engine.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: 'SQL_FAILED' });
      // The engine is still usable after a failed query.
      expect((await engine.query('SELECT 1 AS one')).rows).toEqual([[1]]);
    } finally {
      await engine.close();
    }
  });
});
