/**
 * The SQL engine port's conformance suite: DuckDB (embedded) and Trino (scale-out) over
 * the SAME Parquet files, written by the lake sink from the same records, must give the
 * same results. Types are normalised where the engines differ only in representation
 * (timestamps: DuckDB ISO with Z, Trino 'YYYY-MM-DD HH:MM:SS.mmm').
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEvent } from '../../schema/avro.js';
import type { DeadLetter, NightjarEvent } from '../../schema/types.js';
import { deadLetterRecord } from '../../transport/dead-letter-record.js';
import { LakeSink } from '../../warehouse/sink.js';
import type { ObjectStore } from '../../warehouse/objectstore/port.js';
import type { SqlEngine, SqlValue } from '../../warehouse/sql/port.js';
import { HyparquetEncoder } from '../../warehouse/lake/parquet-file.js';
import { makeDeadLetter, makeEvent } from '../warehouse/synthetic-events.js';

export const TOPICS = { events: 'conf.events', alerts: 'conf.alerts', dlq: 'conf.dlq' };

/** 600 events over 2 sources, 3 days' hours and 7 hosts; every 50th flagged; 13 dead letters. */
export function fixture(): { events: NightjarEvent[]; deadLetters: DeadLetter[] } {
  const events: NightjarEvent[] = [];
  for (let i = 0; i < 600; i++) {
    const zeek = i % 3 === 0;
    events.push(makeEvent({
      ts: Date.UTC(2024, 2, 1 + (i % 3), i % 24, i % 60, 0, i),
      source: zeek ? 'zeek' : 'windows',
      dataset: zeek ? 'conn' : 'sysmon',
      host: `host-${i % 7}`,
      process: zeek ? null : i % 5 === 0 ? 'certutil.exe' : 'cmd.exe',
      dst_port: zeek ? 443 : null,
      flags: i % 50 === 0 ? [{ rule: 'watchlist_binary', score: 40 + (i % 7), reason: `run ${i}` }] : [],
      origin: 'conformance.json',
      origin_offset: i,
    }));
  }
  const deadLetters = Array.from({ length: 13 }, (_, i) => makeDeadLetter({ origin_offset: 1000 + i, code: i % 2 ? 'MALFORMED_JSON' : 'OVERSIZED_EVENT' }));
  return { events, deadLetters };
}

/** Lands the fixture through the lake sink into `store` (events, alerts, dead_letters under Hive partitions). */
export async function buildLake(store: ObjectStore): Promise<void> {
  const { events, deadLetters } = fixture();
  const sink = new LakeSink({ store, encoder: new HyparquetEncoder(), topics: TOPICS, maxRows: 250, maxAgeMs: 60_000, commit: async () => {} });
  let offset = 0;
  const rec = (value: Buffer, headers?: Record<string, string>) => ({ value, headers, offset: String(offset++) });
  for (let i = 0; i < events.length; i += 100) {
    const chunk = events.slice(i, i + 100);
    await sink.handle({ topic: TOPICS.events, partition: 0, records: chunk.map((e) => rec(encodeEvent(e))) });
    await sink.handle({ topic: TOPICS.alerts, partition: 0, records: chunk.filter((e) => e.flags.length > 0).map((e) => rec(encodeEvent(e))) });
  }
  await sink.handle({ topic: TOPICS.dlq, partition: 0, records: deadLetters.map((d) => { const r = deadLetterRecord(d, TOPICS.dlq); return rec(r.value, r.headers); }) });
  await sink.drain();
  await sink.close();
}

/** Representation-only differences between the engines, normalised. */
export function normalise(v: SqlValue): SqlValue {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/.test(v)) {
    return new Date(v.replace(' ', 'T') + (v.endsWith('Z') ? '' : 'Z')).toISOString();
  }
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

export function sqlConformance(label: string, open: () => Promise<SqlEngine>): void {
  describe(`SqlEngine conformance: ${label}`, () => {
    let engine: SqlEngine;
    const rows = async (sql: string, params?: (string | number | boolean | null)[]) => (await engine.query(sql, params)).rows.map((r) => r.map(normalise));
    const { events, deadLetters } = fixture();

    beforeAll(async () => {
      engine = await open();
    }, 180_000);
    afterAll(async () => {
      await engine?.close();
    });

    it('counts every row of every table', async () => {
      expect(await rows('SELECT count(*) FROM events')).toEqual([[600]]);
      expect(await rows('SELECT count(*) FROM alerts')).toEqual([[events.filter((e) => e.flags.length > 0).length]]);
      expect(await rows('SELECT count(*) FROM dead_letters')).toEqual([[deadLetters.length]]);
    });

    it('groups by a column and by the Hive partition columns', async () => {
      const byHost = new Map<string, number>();
      for (const e of events) byHost.set(e.host!, (byHost.get(e.host!) ?? 0) + 1);
      expect(await rows('SELECT host, count(*) FROM events GROUP BY host ORDER BY host')).toEqual([...byHost].sort().map(([h, n]) => [h, n]));
      const parts = await rows('SELECT source, CAST(dt AS VARCHAR), hour, count(*) FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3');
      const expected = new Map<string, number>();
      for (const e of events) {
        const iso = new Date(e.ts).toISOString();
        const k = `${e.source}|${iso.slice(0, 10)}|${iso.slice(11, 13)}`;
        expected.set(k, (expected.get(k) ?? 0) + 1);
      }
      expect(parts).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => {
        const [source, dt, hour] = k.split('|');
        return [source, dt, Number(hour), n];
      }));
    });

    it('binds parameters as values, never as SQL', async () => {
      const certutil = events.filter((e) => e.process === 'certutil.exe').length;
      expect(await rows('SELECT count(*) FROM events WHERE process = ? AND source = ?', ['certutil.exe', 'windows'])).toEqual([[certutil]]);
      expect(await rows('SELECT count(*) FROM events WHERE host = ?', ["x' OR '1'='1"])).toEqual([[0]]);
      expect(await rows('SELECT count(*) FROM events WHERE origin_offset < ?', [10])).toEqual([[10]]);
    });

    it('reads timestamps, nested records and nulls the same', async () => {
      expect(await rows('SELECT min(ts), max(ts) FROM events')).toEqual([[
        new Date(Math.min(...events.map((e) => e.ts))).toISOString(),
        new Date(Math.max(...events.map((e) => e.ts))).toISOString(),
      ]]);
      expect(await rows('SELECT origin_offset, flags, dst_geo.city, src_geo, dst_port FROM alerts WHERE origin_offset IN (0, 50) ORDER BY origin_offset')).toEqual([
        [0, [{ rule: 'watchlist_binary', score: 40, reason: 'run 0' }], 'Stockholm', null, 443],
        [50, [{ rule: 'watchlist_binary', score: 41, reason: 'run 50' }], 'Stockholm', null, null],
      ]);
      expect(await rows('SELECT code, count(*) FROM dead_letters GROUP BY code ORDER BY code')).toEqual([['MALFORMED_JSON', 6], ['OVERSIZED_EVENT', 7]]);
    });
  });
}
