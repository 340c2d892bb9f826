/**
 * The SQL engine port: hunters' queries over the lake tables `events`, `alerts` and
 * `dead_letters`. Implementations: duckdb.ts (embedded, local Parquet) and trino.ts
 * (Hive tables on S3). Both pass test/conformance/sql.ts on the same Parquet files.
 */
export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

export interface SqlResult {
  columns: string[];
  rows: SqlValue[][];
}

export interface SqlEngine {
  readonly name: string;
  /** Runs one statement. `params` bind to `?` placeholders; user input never goes into the text. */
  query(sql: string, params?: readonly (string | number | boolean | null)[]): Promise<SqlResult>;
  close(): Promise<void>;
}
