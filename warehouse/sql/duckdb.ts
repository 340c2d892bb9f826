/**
 * DuckDB adapter (@duckdb/node-api), the only file that imports DuckDB:
 *  - DuckDbEngine: the embedded SqlEngine. Views `events`, `dead_letters` (Hive-partitioned
 *    Parquet under a local lake directory) and `alerts` (events with at least one flag);
 *    on a fresh lake the views exist with the right, empty columns.
 *  - DuckDbParquetEncoder: the lake's ParquetEncoder (appender into a temp table, then
 *    COPY ... TO parquet with zstd), chosen by bench/parquet-writers.ts.
 */
import {
  DuckDBConnection, DuckDBDataChunkWriter, DuckDBInstance, DuckDBTypeId, JSToDuckDBValueConverter,
  type DuckDBType, type JS,
} from '@duckdb/node-api';
import { unlink, writeFile } from 'node:fs/promises';
import { NightjarError } from '../../core/errors.js';
import { LAKE_TABLES, PARTITION_COLUMN_TYPES, avroToDuckDbColumns, quoteIdent, type ColumnDef, type LakeTable } from '../lake/columns.js';
import type { ParquetEncoder } from '../lake/parquet-encoder.js';
import type { SqlEngine, SqlResult, SqlValue } from './port.js';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Runs async work one at a time on a connection. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

// ---- result conversion -------------------------------------------------------------

const INTEGER_IDS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.BIGNUM,
]);
const TIMESTAMP_IDS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_NS, DuckDBTypeId.TIMESTAMP_TZ,
]);

/**
 * Converts a value from DuckDB's JS form into plain JSON-able JS:
 * BIGINT → number when safe else string; TIMESTAMP → ISO string; DATE → YYYY-MM-DD;
 * MAP → object; LIST/ARRAY → array; STRUCT → object; BLOB → base64.
 */
export function toSqlValue(value: unknown, type?: DuckDBType): SqlValue {
  if (value === null || value === undefined) return null;
  const id = type?.typeId;
  if (id === DuckDBTypeId.MAP && Array.isArray(value)) {
    const valueType = (type as unknown as { valueType: DuckDBType }).valueType;
    const out: { [key: string]: SqlValue } = {};
    for (const entry of value as { key: unknown; value: unknown }[]) out[String(toSqlValue(entry.key))] = toSqlValue(entry.value, valueType);
    return out;
  }
  if ((id === DuckDBTypeId.LIST || id === DuckDBTypeId.ARRAY) && Array.isArray(value)) {
    const valueType = (type as unknown as { valueType: DuckDBType }).valueType;
    return value.map((v) => toSqlValue(v, valueType));
  }
  if (id === DuckDBTypeId.STRUCT && typeof value === 'object') {
    const st = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
    const out: { [key: string]: SqlValue } = {};
    st.entryNames.forEach((name, i) => { out[name] = toSqlValue((value as Record<string, unknown>)[name], st.entryTypes[i]); });
    return out;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    if (id === DuckDBTypeId.DATE) return value.toISOString().slice(0, 10);
    return value.toISOString();
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => toSqlValue(v));
  if (typeof value === 'object') {
    const out: { [key: string]: SqlValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toSqlValue(v);
    return out;
  }
  return String(value);
}

// ---- engine -------------------------------------------------------------------------

export interface DuckDbEngineOptions {
  /** The local lake directory (a LocalObjectStore root). Omit for an in-memory DuckDB without lake views. */
  lakeDir?: string;
  /** DuckDB worker threads; default DuckDB's own (one per core). */
  threads?: number;
  /** e.g. '1GB'. */
  memoryLimit?: string;
}

async function openInstance(options: { threads?: number; memoryLimit?: string }): Promise<DuckDBInstance> {
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config['threads'] = String(options.threads);
  if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
  return DuckDBInstance.create(':memory:', config);
}

const TABLE_COLUMNS: Record<LakeTable, ColumnDef[]> = {
  events: avroToDuckDbColumns(LAKE_TABLES.events.schema),
  dead_letters: avroToDuckDbColumns(LAKE_TABLES.dead_letters.schema),
};

export class DuckDbEngine implements SqlEngine {
  readonly name = 'duckdb';
  private readonly serial = new Serial();
  /** Tables whose view already reads Parquet (files were found once). */
  private readonly live = new Set<LakeTable>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly lakeDir: string | undefined,
  ) {}

  static async create(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    try {
      const instance = await openInstance(options);
      const engine = new DuckDbEngine(instance, await instance.connect(), options.lakeDir?.replace(/\/+$/, ''));
      if (engine.lakeDir !== undefined) {
        for (const table of Object.keys(LAKE_TABLES) as LakeTable[]) await engine.createView(table, false);
        await engine.conn.run('CREATE OR REPLACE VIEW alerts AS SELECT * FROM events WHERE len(flags) > 0');
      }
      return engine;
    } catch (err) {
      throw new NightjarError('SQL_FAILED', `cannot open DuckDB: ${(err as Error).message}`, { cause: err });
    }
  }

  async query(sql: string, params: readonly (string | number | boolean | null)[] = []): Promise<SqlResult> {
    return this.serial.run(async () => {
      await this.refreshViews();
      try {
        const reader = await this.conn.runAndReadAll(sql, params.length > 0 ? [...params] : undefined);
        const types = reader.columnTypes();
        const rows = reader.getRowsJS().map((row) => row.map((v, i) => toSqlValue(v, types[i])));
        return { columns: reader.columnNames(), rows };
      } catch (err) {
        throw new NightjarError('SQL_FAILED', (err as Error).message, { cause: err });
      }
    });
  }

  async close(): Promise<void> {
    await this.serial.run(async () => {
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }

  private glob(table: LakeTable): string {
    return `${this.lakeDir}/${LAKE_TABLES[table].dir}/**/*.parquet`;
  }

  /** Views start empty on a fresh lake; once a table has files its view switches to read_parquet. */
  private async refreshViews(): Promise<void> {
    if (this.lakeDir === undefined) return;
    for (const table of Object.keys(LAKE_TABLES) as LakeTable[]) {
      if (this.live.has(table)) continue;
      const found = await this.conn.runAndReadAll(`SELECT count(*) FROM glob(${sqlString(this.glob(table))})`);
      if (Number(found.getRowsJS()[0]?.[0] ?? 0) > 0) await this.createView(table, true);
    }
  }

  private async createView(table: LakeTable, hasFiles: boolean): Promise<void> {
    const partitionTypes = PARTITION_COLUMN_TYPES.duckdb;
    let body: string;
    if (hasFiles) {
      const hiveTypes = Object.entries(partitionTypes).map(([k, t]) => `${sqlString(k)}: ${t}`).join(', ');
      body = `SELECT * FROM read_parquet(${sqlString(this.glob(table))}, hive_partitioning = true, union_by_name = true, hive_types = {${hiveTypes}})`;
      this.live.add(table);
    } else {
      // Same columns as read_parquet gives: the file columns in schema order, then the partition
      // keys that are not file columns (source is both, and stays in its schema position).
      const cols = TABLE_COLUMNS[table].map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`);
      const fileNames = new Set(TABLE_COLUMNS[table].map((c) => c.name));
      for (const [k, t] of Object.entries(partitionTypes)) if (!fileNames.has(k)) cols.push(`CAST(NULL AS ${t}) AS ${quoteIdent(k)}`);
      body = `SELECT ${cols.join(', ')} WHERE false`;
    }
    await this.conn.run(`CREATE OR REPLACE VIEW ${quoteIdent(table)} AS ${body}`);
  }
}

// ---- Parquet encoder ------------------------------------------------------------------

/** Turns one lake row into appender values in column order (TIMESTAMP wants Date, MAP wants entries). */
function rowConverter(columns: ColumnDef[]): (row: object) => (JS | null)[] {
  const convert = columns.map((c): ((v: unknown) => JS | null) => {
    if (c.type === 'TIMESTAMP') return (v) => (typeof v === 'number' ? new Date(v) : (v as JS | null));
    if (c.type.startsWith('MAP(')) return (v) => (v && typeof v === 'object' ? Object.entries(v).map(([key, value]) => ({ key, value })) : null);
    return (v) => (v === undefined ? null : (v as JS | null));
  });
  return (row) => columns.map((c, i) => convert[i]!((row as Record<string, unknown>)[c.name]));
}

export interface DuckDbParquetEncoderOptions {
  /** Rows per row group (DuckDB's default is 122,880). */
  rowGroupSize?: number;
  compression?: 'zstd' | 'snappy';
  /** json (default): rows as NDJSON through DuckDB's reader; appender: values appended from JS. */
  route?: 'json' | 'appender';
  threads?: number;
  /** DuckDB's memory limit, e.g. '256MB'; its default is 80% of the machine. */
  memoryLimit?: string;
}

export class DuckDbParquetEncoder implements ParquetEncoder {
  readonly name = 'duckdb';
  private readonly serial = new Serial();
  private readonly converters = new Map<LakeTable, (row: object) => (JS | null)[]>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly options: DuckDbParquetEncoderOptions,
  ) {}

  static async create(options: DuckDbParquetEncoderOptions = {}): Promise<DuckDbParquetEncoder> {
    const instance = await openInstance(options);
    const encoder = new DuckDbParquetEncoder(instance, await instance.connect(), options);
    for (const table of Object.keys(LAKE_TABLES) as LakeTable[]) {
      const ddl = TABLE_COLUMNS[table].map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
      await encoder.conn.run(`CREATE TEMP TABLE ${quoteIdent(`buffer_${table}`)} (${ddl})`);
      encoder.converters.set(table, rowConverter(TABLE_COLUMNS[table]));
    }
    return encoder;
  }

  /**
   * Writes rows as one Parquet file. The default route hands DuckDB the rows as
   * newline-delimited JSON and lets its native reader build the columns (read_json with
   * the lake's column types, then COPY): parsing and conversion run in C++ on DuckDB's
   * threads, where the appender spends most of its time converting values in JS
   * (bench/README.md, "Parquet writer"). Should DuckDB refuse the JSON (a string its
   * reader rejects), the same rows go through the appender, so one odd row never blocks
   * a file.
   */
  async write(table: LakeTable, rows: readonly object[], file: string): Promise<void> {
    await this.serial.run(async () => {
      if ((this.options.route ?? 'json') === 'json') {
        try {
          await this.writeViaJson(table, rows, file);
          return;
        } catch {
          // fall through to the appender
        }
      }
      await this.writeViaAppender(table, rows, file);
    });
  }

  private copyOptions(): string {
    const compression = this.options.compression ?? 'zstd';
    // zstd level 1: about the size of level 3 on this data at the speed of snappy (bench/README.md).
    const level = compression === 'zstd' ? ', COMPRESSION_LEVEL 1' : '';
    return `(FORMAT parquet, COMPRESSION ${compression}${level}, ROW_GROUP_SIZE ${this.options.rowGroupSize ?? 100_000})`;
  }

  private async writeViaJson(table: LakeTable, rows: readonly object[], file: string): Promise<void> {
    const columns = TABLE_COLUMNS[table];
    const blobs = columns.filter((c) => c.type === 'BLOB').map((c) => c.name);
    // BLOBs travel as base64 (JSON has no bytes); TIMESTAMPs as epoch ms.
    const encode = blobs.length === 0
      ? (r: object) => JSON.stringify(r)
      : (r: object) => {
          const copy: Record<string, unknown> = { ...(r as Record<string, unknown>) };
          for (const b of blobs) if (copy[b] instanceof Uint8Array) copy[b] = Buffer.from(copy[b] as Uint8Array).toString('base64');
          return JSON.stringify(copy);
        };
    const json = `${file}.ndjson`;
    await writeFile(json, rows.map(encode).join('\n'));
    try {
      const spec = columns
        .map((c) => `${sqlString(c.name)}: ${sqlString(c.type === 'TIMESTAMP' ? 'BIGINT' : c.type === 'BLOB' ? 'VARCHAR' : c.type)}`)
        .join(', ');
      const select = columns
        .map((c) => {
          const col = quoteIdent(c.name);
          if (c.type === 'TIMESTAMP') return `epoch_ms(${col}) AS ${col}`;
          if (c.type === 'BLOB') return `from_base64(${col}) AS ${col}`;
          return col;
        })
        .join(', ');
      await this.conn.run(
        `COPY (SELECT ${select} FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = {${spec}}, maximum_object_size = 16777216)) TO ${sqlString(file)} ${this.copyOptions()}`,
      );
    } finally {
      await unlink(json).catch(() => {});
    }
  }

  private async writeViaAppender(table: LakeTable, rows: readonly object[], file: string): Promise<void> {
    const buffer = quoteIdent(`buffer_${table}`);
    try {
      const appender = await this.conn.createAppender(`buffer_${table}`);
      const writer = DuckDBDataChunkWriter.forAppender<JS>(appender, { converter: JSToDuckDBValueConverter });
      const convert = this.converters.get(table)!;
      try {
        for (const row of rows) writer.appendRow(convert(row));
        writer.flush();
      } finally {
        appender.closeSync();
      }
      await this.conn.run(`COPY ${buffer} TO ${sqlString(file)} ${this.copyOptions()}`);
    } catch (err) {
      throw new NightjarError('STAGE_FAILED', `DuckDB cannot write ${table} Parquet: ${(err as Error).message}`, { cause: err });
    } finally {
      await this.conn.run(`DELETE FROM ${buffer}`);
    }
  }

  async close(): Promise<void> {
    await this.serial.run(async () => {
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}
