/**
 * The lake sink: records from the events, alerts and dead-letter topics become Parquet
 * files under Hive partitions in the object store.
 *
 * Per consumed partition (topic, partition) the sink buffers rows grouped by table and
 * Hive partition; a buffer is flushed when it holds `maxRows` rows or its oldest row has
 * waited `maxAgeMs` (flushDue). A flush uploads one file per (table, Hive partition)
 * named from the topic, partition and the flush's offset range, then commits the offset
 * after the last record. Nothing is committed before its upload, and uploads of flushes
 * that were never committed are undone before a replay (upload-log.ts): a crash at any
 * point neither loses nor duplicates rows.
 *
 * Transport-agnostic: the CLI feeds batches and supplies the committer; the catalog
 * (Trino tables and partitions) is optional.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asNightjarError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { metrics } from '../core/metrics.js';
import { decodeEvent } from '../schema/avro.js';
import type { DeadLetter, NightjarEvent } from '../schema/types.js';
import { flushDue } from '../transport/delivery-decisions.js';
import type { ObjectStore } from './objectstore/port.js';
import type { ParquetEncoder } from './lake/parquet-encoder.js';
import { objectKey, partitionOf, partitionPath } from './lake/partition.js';
import { SINK_TABLES, type SinkTable } from './sink/trino-tables.js';
import { UploadLog } from './sink/upload-log.js';

const log = logger('sink');

export interface SinkRecord {
  value: Buffer;
  headers?: Record<string, string>;
  offset: string;
}

export interface SinkBatch {
  topic: string;
  partition: number;
  records: readonly SinkRecord[];
}

export interface SinkTopics {
  events: string;
  alerts: string;
  dlq: string;
}

export interface SinkCatalog {
  /** Makes partitions (e.g. `source=zeek/dt=2024-01-01/hour=03`) of a table visible to queries. */
  addPartitions(table: SinkTable, partitions: readonly string[]): Promise<void>;
}

export interface LakeSinkOptions {
  store: ObjectStore;
  encoder: ParquetEncoder;
  topics: SinkTopics;
  maxRows: number;
  maxAgeMs: number;
  /** Commits `offset` (the next to read) for the group; called only after the uploads. */
  commit(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  catalog?: SinkCatalog;
  now?: () => number;
}

export interface SinkCounts {
  events: number;
  alerts: number;
  dead_letters: number;
  files: number;
}

interface PartitionBuffer {
  topic: string;
  partition: number;
  first: bigint;
  last: bigint;
  rows: number;
  oldestAtMs: number | null;
  groups: Map<string, { table: SinkTable; hive: ReturnType<typeof partitionOf>; rows: object[] }>;
}

/** A dead letter from a DLQ record: the headers carry the metadata, the value the original bytes. */
export function deadLetterFromRecord(r: SinkRecord): DeadLetter {
  const h = r.headers ?? {};
  const num = (s: string | undefined, fallback: number) => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : fallback);
  return {
    ts: num(h['ts'], Date.now()),
    stage: h['stage'] ?? 'unknown',
    code: h['code'] ?? 'MALFORMED_RECORD',
    reason: h['reason'] ?? 'dead letter without a reason header',
    source: h['source'] ?? 'unknown',
    origin: h['origin'] ?? 'unknown',
    origin_offset: num(h['origin_offset'], 0),
    raw: r.value,
  };
}

export class LakeSink {
  private readonly buffers = new Map<string, PartitionBuffer>();
  /** Partitions (topic:partition) whose first flush since assignment must undo stale uploads. */
  private readonly needsUndo = new Set<string>();
  private readonly knownHive = new Set<string>();
  private readonly pendingHive = new Map<SinkTable, Set<string>>();
  private readonly uploads: UploadLog;
  private readonly now: () => number;
  private chain: Promise<unknown> = Promise.resolve();
  private tmpDir: string | null = null;
  private seq = 0;
  readonly counts: SinkCounts = { events: 0, alerts: 0, dead_letters: 0, files: 0 };

  constructor(private readonly opts: LakeSinkOptions) {
    this.uploads = new UploadLog(opts.store);
    this.now = opts.now ?? Date.now;
  }

  /** Runs `fn` after everything queued before it: batches, timers and drains never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Buffers a batch and flushes its partition when due. */
  handle(batch: SinkBatch): Promise<void> {
    return this.serial(async () => {
      if (batch.records.length === 0) return;
      const id = `${batch.topic}:${batch.partition}`;
      let b = this.buffers.get(id);
      if (!b) {
        b = { topic: batch.topic, partition: batch.partition, first: BigInt(batch.records[0]!.offset), last: 0n, rows: 0, oldestAtMs: null, groups: new Map() };
        this.buffers.set(id, b);
        if (!this.knownPartitions.has(id)) {
          this.knownPartitions.add(id);
          this.needsUndo.add(id);
        }
      }
      for (const r of batch.records) this.add(b, batch.topic, r);
      b.last = BigInt(batch.records[batch.records.length - 1]!.offset);
      b.oldestAtMs ??= this.now();
      if (flushDue(b, this.now(), { maxRows: this.opts.maxRows, maxAgeMs: this.opts.maxAgeMs })) await this.flush(id, b);
    });
  }

  /** Partitions seen since the last assignment. */
  private readonly knownPartitions = new Set<string>();

  /** Flushes buffers whose oldest row has waited long enough (call on a timer). */
  tick(): Promise<void> {
    return this.serial(async () => {
      for (const [id, b] of [...this.buffers]) {
        if (flushDue(b, this.now(), { maxRows: this.opts.maxRows, maxAgeMs: this.opts.maxAgeMs })) await this.flush(id, b);
      }
      await this.syncCatalog();
    });
  }

  /**
   * A rebalance: after it the consumer restarts every partition it holds from the
   * committed offset, so all buffered (uncommitted) rows will come again and are dropped
   * now; each partition's first flush then undoes stale uploads.
   */
  assigned(): Promise<void> {
    return this.serial(async () => {
      this.buffers.clear();
      this.knownPartitions.clear();
    });
  }

  /** Flushes everything (on shutdown), then syncs the catalog. */
  drain(): Promise<void> {
    return this.serial(async () => {
      for (const [id, b] of [...this.buffers]) await this.flush(id, b);
      await this.syncCatalog();
    });
  }

  /** Rows waiting in buffers. */
  get bufferedRows(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.rows;
    return n;
  }

  async close(): Promise<void> {
    await this.chain;
    if (this.tmpDir) await rm(this.tmpDir, { recursive: true, force: true });
  }

  private add(b: PartitionBuffer, topic: string, r: SinkRecord): void {
    let table: SinkTable;
    let row: NightjarEvent | DeadLetter;
    if (topic === this.opts.topics.dlq) {
      table = 'dead_letters';
      row = deadLetterFromRecord(r);
    } else {
      table = topic === this.opts.topics.alerts ? 'alerts' : 'events';
      try {
        row = decodeEvent(r.value);
      } catch (err) {
        // Not an event we can read (a foreign producer, a schema we do not know): kept as a dead letter.
        const e = asNightjarError(err, 'MALFORMED_RECORD');
        table = 'dead_letters';
        row = { ts: Date.now(), stage: 'sink', code: e.code, reason: e.message, source: 'unknown', origin: `${topic}/${b.partition}`, origin_offset: Number(r.offset), raw: r.value };
      }
    }
    const hive = partitionOf(row.source, row.ts);
    const gid = `${table}\n${partitionPath(hive)}`;
    let g = b.groups.get(gid);
    if (!g) b.groups.set(gid, (g = { table, hive, rows: [] }));
    g.rows.push(row);
    b.rows++;
  }

  private async flush(id: string, b: PartitionBuffer): Promise<void> {
    const origin = `${b.topic}/${b.partition}`;
    if (this.needsUndo.has(id)) {
      const undone = await this.uploads.undoUncommitted(origin, b.first);
      if (undone.length > 0) log.info('removed uploads of an uncommitted earlier flush before replaying', { origin, objects: undone.length });
      this.needsUndo.delete(id);
    }
    const files = [...b.groups.values()].map((g) => ({ ...g, key: objectKey(SINK_TABLES[g.table].dir, g.hive, origin, Number(b.first), Number(b.last)) }));
    const entry = await this.uploads.record(origin, b.first, b.last, files.map((f) => f.key));
    this.tmpDir ??= await mkdtemp(path.join(os.tmpdir(), 'nightjar-sink-'));
    for (const f of files) {
      const tmp = path.join(this.tmpDir, `${++this.seq}.parquet`);
      try {
        await this.opts.encoder.write(f.table === 'dead_letters' ? 'dead_letters' : 'events', f.rows, tmp);
        await this.opts.store.putFile(f.key, tmp);
      } finally {
        await rm(tmp, { force: true });
      }
      const hp = partitionPath(f.hive);
      if (!this.knownHive.has(`${f.table}/${hp}`)) {
        let pending = this.pendingHive.get(f.table);
        if (!pending) this.pendingHive.set(f.table, (pending = new Set()));
        pending.add(hp);
      }
    }
    await this.opts.commit([{ topic: b.topic, partition: b.partition, offset: (b.last + 1n).toString() }]);
    this.buffers.delete(id);
    await this.uploads.forget(entry).catch((err: unknown) => log.warn('could not delete an upload log entry; the next replay forgets it', { error: (err as Error).message }));
    for (const f of files) this.counts[f.table] += f.rows.length;
    this.counts.files += files.length;
    metrics.inc('nightjar_sink_rows_total', { topic: b.topic }, b.rows);
    metrics.inc('nightjar_sink_files_total', {}, files.length);
    log.debug('flushed', { origin, first: b.first.toString(), last: b.last.toString(), rows: b.rows, files: files.length });
    await this.syncCatalog();
  }

  /** Registers new Hive partitions; a catalog outage is retried at the next flush or tick. */
  private async syncCatalog(): Promise<void> {
    if (!this.opts.catalog) return;
    for (const [table, parts] of this.pendingHive) {
      if (parts.size === 0) continue;
      try {
        await this.opts.catalog.addPartitions(table, [...parts]);
        for (const p of parts) this.knownHive.add(`${table}/${p}`);
        parts.clear();
      } catch (err) {
        log.warn('could not register new partitions; retrying later', { table, error: (err as Error).message });
      }
    }
  }
}
