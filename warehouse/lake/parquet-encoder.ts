/**
 * How the lake writer turns rows into a local Parquet file. Two implementations:
 * HyparquetEncoder (warehouse/lake/parquet-file.ts, pure JS, no native code) and
 * DuckDbParquetEncoder (warehouse/sql/duckdb.ts, the only file that imports DuckDB).
 * bench/parquet-writers.ts measures them; bench/README.md records the choice.
 */
import type { LakeTable } from './columns.js';

export interface ParquetEncoder {
  readonly name: string;
  /** Writes rows shaped by the table's Avro schema to `file` (replacing it). */
  write(table: LakeTable, rows: readonly object[], file: string): Promise<void>;
  close(): Promise<void>;
}
