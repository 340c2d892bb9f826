/**
 * LakeWriter: buffers events and dead letters per table, Hive partition and origin, and
 * lands each buffer as one Parquet file in the ObjectStore when it is large enough (or on
 * flush/close). One origin per file keeps object names deterministic from the origin and
 * its offset range (partition.ts), so a replay of the same input overwrites the same
 * objects. Files are encoded to a local temp file, then uploaded with putFile.
 *
 * Counts: `landed` only grows once the object store has acknowledged the file, so the
 * caller can report read = landed + dead-lettered and commit offsets at most up to
 * `lowestBufferedOffset(origin)` - 1.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NightjarError, asNightjarError } from '../../core/errors.js';
import { validateEvent } from '../../schema/avro.js';
import type { DeadLetter, NightjarEvent } from '../../schema/types.js';
import type { ObjectStore } from '../objectstore/port.js';
import { LAKE_TABLES, type LakeTable } from './columns.js';
import { withDefaults } from './defaults.js';
import type { ParquetEncoder } from './parquet-encoder.js';
import { objectKey, partitionOf, partitionPath, type PartitionKey } from './partition.js';

export interface LakeWriterOptions {
  store: ObjectStore;
  encoder: ParquetEncoder;
  /** A buffer (table × partition × origin) is written once it holds this many rows. */
  maxRowsPerFile?: number;
  /** When all buffers together hold more rows, the largest are written early (bounds memory). */
  maxBufferedRows?: number;
  /** Where temp Parquet files go before upload; default a fresh dir under os.tmpdir(). */
  tmpDir?: string;
}

export interface LakeFile {
  key: string;
  table: LakeTable;
  rows: number;
  bytes: number;
  origin: string;
  firstOffset: number;
  lastOffset: number;
}

export interface LakeCounts {
  events: number;
  dead_letters: number;
}

export interface LakeWriteResult {
  /** Files landed by this call. */
  files: LakeFile[];
  /** Rows landed by this call, per table. */
  landed: LakeCounts;
  /** Rows still buffered after this call, per table. */
  buffered: LakeCounts;
}

interface Buffer_ {
  table: LakeTable;
  partition: PartitionKey;
  origin: string;
  rows: Array<NightjarEvent | DeadLetter>;
  firstOffset: number;
  lastOffset: number;
}

function invalidEventDeadLetter(e: NightjarEvent): DeadLetter {
  const paths = validateEvent(e);
  let raw: Buffer;
  try {
    raw = Buffer.from(JSON.stringify(e), 'utf8');
  } catch {
    raw = Buffer.from(String(e), 'utf8');
  }
  return {
    ts: Number.isSafeInteger(e.ts) ? e.ts : Date.now(),
    stage: 'sink',
    code: 'SCHEMA_VIOLATION',
    reason: `event does not conform to the Avro schema: ${paths.join(', ')}`,
    source: typeof e.source === 'string' ? e.source : 'unknown',
    origin: typeof e.origin === 'string' ? e.origin : 'unknown',
    origin_offset: Number.isSafeInteger(e.origin_offset) ? e.origin_offset : 0,
    raw,
  };
}

export class LakeWriter {
  private readonly store: ObjectStore;
  private readonly encoder: ParquetEncoder;
  private readonly maxRowsPerFile: number;
  private readonly maxBufferedRows: number;
  private readonly buffers = new Map<string, Buffer_>();
  private readonly bufferedCounts: LakeCounts = { events: 0, dead_letters: 0 };
  private readonly landedTotals: LakeCounts = { events: 0, dead_letters: 0 };
  private tmpDir: string | undefined;
  private readonly ownsTmpDir: boolean;
  private fileSeq = 0;
  /** Events turned into dead letters because they did not fit the schema. */
  rerouted = 0;
  private closed = false;

  constructor(options: LakeWriterOptions) {
    this.store = options.store;
    this.encoder = options.encoder;
    this.maxRowsPerFile = options.maxRowsPerFile ?? 100_000;
    this.maxBufferedRows = options.maxBufferedRows ?? 500_000;
    this.tmpDir = options.tmpDir;
    this.ownsTmpDir = options.tmpDir === undefined;
  }

  /** Rows landed since the writer was created, per table. */
  get landed(): LakeCounts {
    return { ...this.landedTotals };
  }

  /** Rows waiting in buffers, per table. */
  get buffered(): LakeCounts {
    return { ...this.bufferedCounts };
  }

  /** The lowest offset of `origin` not yet landed, or null when nothing of it is buffered. */
  lowestBufferedOffset(origin: string): number | null {
    let low: number | null = null;
    for (const b of this.buffers.values()) if (b.origin === origin && (low === null || b.firstOffset < low)) low = b.firstOffset;
    return low;
  }

  /** Buffers a batch; writes the buffers that reached the size limits. */
  async write(events: readonly NightjarEvent[], deadLetters: readonly DeadLetter[]): Promise<LakeWriteResult> {
    if (this.closed) throw new Error('LakeWriter is closed');
    const full = new Set<string>();
    for (const e of events) this.add('events', e, full);
    for (const d of deadLetters) this.add('dead_letters', d, full);
    const due = [...full].map((id) => this.buffers.get(id)!);
    // Memory bound: write the largest remaining buffers until under the limit.
    let total = this.bufferedCounts.events + this.bufferedCounts.dead_letters - due.reduce((n, b) => n + b.rows.length, 0);
    if (total > this.maxBufferedRows) {
      const rest = [...this.buffers.entries()].filter(([id]) => !full.has(id)).map(([, b]) => b).sort((a, b) => b.rows.length - a.rows.length);
      for (const b of rest) {
        if (total <= this.maxBufferedRows) break;
        due.push(b);
        total -= b.rows.length;
      }
    }
    return this.land(due);
  }

  /** Writes every buffer. */
  async flush(): Promise<LakeWriteResult> {
    const result: LakeWriteResult = { files: [], landed: { events: 0, dead_letters: 0 }, buffered: this.buffered };
    // Landing can reroute invalid events into new dead-letter buffers, hence the loop.
    while (this.buffers.size > 0) {
      const r = await this.land([...this.buffers.values()]);
      result.files.push(...r.files);
      result.landed.events += r.landed.events;
      result.landed.dead_letters += r.landed.dead_letters;
    }
    result.buffered = this.buffered;
    return result;
  }

  /** Flushes, then releases the temp dir. The writer does not close the store or encoder it was given. */
  async close(): Promise<LakeWriteResult> {
    if (this.closed) return { files: [], landed: { events: 0, dead_letters: 0 }, buffered: this.buffered };
    const result = await this.flush();
    this.closed = true;
    if (this.ownsTmpDir && this.tmpDir) await rm(this.tmpDir, { recursive: true, force: true });
    return result;
  }

  private add(table: LakeTable, input: NightjarEvent | DeadLetter, full: Set<string>): void {
    const row = withDefaults(table, input);
    const partition = partitionOf(row.source, row.ts);
    const id = `${table}\n${partitionPath(partition)}\n${row.origin}`;
    let b = this.buffers.get(id);
    if (!b) {
      b = { table, partition, origin: row.origin, rows: [], firstOffset: row.origin_offset, lastOffset: row.origin_offset };
      this.buffers.set(id, b);
    }
    b.rows.push(row);
    if (row.origin_offset < b.firstOffset) b.firstOffset = row.origin_offset;
    if (row.origin_offset > b.lastOffset) b.lastOffset = row.origin_offset;
    this.bufferedCounts[table]++;
    if (b.rows.length >= this.maxRowsPerFile) full.add(id);
  }

  private async land(due: Buffer_[]): Promise<LakeWriteResult> {
    const files: LakeFile[] = [];
    const landed: LakeCounts = { events: 0, dead_letters: 0 };
    for (const b of due) {
      const file = await this.landOne(b);
      if (!file) continue;
      files.push(file);
      landed[b.table] += file.rows;
    }
    return { files, landed, buffered: this.buffered };
  }

  /** Encodes and uploads one buffer; on failure the rows stay buffered for a retry. */
  private async landOne(b: Buffer_): Promise<LakeFile | null> {
    const key = objectKey(LAKE_TABLES[b.table].dir, b.partition, b.origin, b.firstOffset, b.lastOffset);
    const dir = await this.ensureTmpDir();
    const tmp = path.join(dir, `${++this.fileSeq}.parquet`);
    try {
      await this.encodeOrReroute(b, tmp);
      if (b.rows.length === 0) {
        this.buffers.delete(`${b.table}\n${partitionPath(b.partition)}\n${b.origin}`);
        return null;
      }
      const bytes = (await stat(tmp)).size;
      await this.store.putFile(key, tmp);
      this.buffers.delete(`${b.table}\n${partitionPath(b.partition)}\n${b.origin}`);
      this.bufferedCounts[b.table] -= b.rows.length;
      this.landedTotals[b.table] += b.rows.length;
      return { key, table: b.table, rows: b.rows.length, bytes, origin: b.origin, firstOffset: b.firstOffset, lastOffset: b.lastOffset };
    } catch (err) {
      throw asNightjarError(err, 'OBJECT_STORE_FAILED');
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * Encodes the buffer. Should an event not fit the schema (the stages validate, so this is
   * a bug upstream), the encoder fails the whole file; rather than block the partition or
   * lose the batch, the invalid events become dead letters of stage `sink` and the rest
   * is encoded again.
   */
  private async encodeOrReroute(b: Buffer_, tmp: string): Promise<void> {
    try {
      await this.encoder.write(b.table, b.rows, tmp);
      return;
    } catch (err) {
      if (b.table !== 'events') throw new NightjarError('STAGE_FAILED', `cannot encode dead letters as Parquet: ${(err as Error).message}`, { cause: err });
      const invalid = b.rows.filter((e) => validateEvent(e).length > 0) as NightjarEvent[];
      if (invalid.length === 0) throw new NightjarError('STAGE_FAILED', `cannot encode events as Parquet: ${(err as Error).message}`, { cause: err });
      const bad = new Set<object>(invalid);
      b.rows = b.rows.filter((e) => !bad.has(e));
      this.bufferedCounts.events -= invalid.length;
      this.rerouted += invalid.length;
      const ignored = new Set<string>();
      for (const e of invalid) this.add('dead_letters', invalidEventDeadLetter(e), ignored);
      if (b.rows.length > 0) await this.encoder.write(b.table, b.rows, tmp);
    }
  }

  private async ensureTmpDir(): Promise<string> {
    if (this.tmpDir === undefined) this.tmpDir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-lake-'));
    else await mkdir(this.tmpDir, { recursive: true });
    return this.tmpDir;
  }
}
