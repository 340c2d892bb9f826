/**
 * Reads the baseline tables dbt built, through the SQL engine port: on DuckDB the
 * Parquet files the external materialisation wrote, on Trino the tables in the
 * baselines schema. One query per kind, so no single result holds every key.
 */
import type { SqlEngine, SqlValue } from '../sql/port.js';
import { RARITY_KINDS, type RarityKind } from '../../stream/rarity/keys.js';
import type { BaselineRow, BaselineTotals } from './publish.js';
import type { BaselineEngine } from './profiles.js';

export type BaselineLocation =
  | { engine: 'duckdb'; tablesDir: string }
  | { engine: 'trino'; catalog: string; schema: string };

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL name of a baseline model's table. */
export function baselineRelation(loc: BaselineLocation, model: string): string {
  if (!/^baseline_\w+$/.test(model)) throw new Error(`not a baseline model: ${model}`);
  return loc.engine === 'duckdb' ? `read_parquet(${literal(`${loc.tablesDir}/${model}.parquet`)})` : `${ident(loc.catalog)}.${ident(loc.schema)}.${ident(model)}`;
}

/** Milliseconds since the epoch of a timestamp column, in the engine's dialect. */
export function epochMs(engine: BaselineEngine, column: string): string {
  return engine === 'duckdb' ? `epoch_ms(${column})` : `CAST(to_unixtime(${column}) * 1000 AS BIGINT)`;
}

const num = (v: SqlValue | undefined): number => (typeof v === 'number' ? v : Number(v));
const text = (v: SqlValue | undefined): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

export async function readTotals(sql: SqlEngine, loc: BaselineLocation): Promise<BaselineTotals> {
  const { rows } = await sql.query(
    `SELECT CAST(window_start AS VARCHAR), CAST(window_end AS VARCHAR), baseline_days, events, total_hosts, total_users FROM ${baselineRelation(loc, 'baseline_totals')}`,
  );
  const r = rows[0];
  if (!r || rows.length !== 1) throw new Error(`baseline_totals has ${rows.length} rows, expected 1`);
  return {
    window_start: text(r[0]).slice(0, 10),
    window_end: text(r[1]).slice(0, 10),
    baseline_days: num(r[2]),
    events: num(r[3]),
    total_hosts: num(r[4]),
    total_users: num(r[5]),
  };
}

/** All keys of one kind, in key order. */
export async function readKind(sql: SqlEngine, loc: BaselineLocation, kind: RarityKind): Promise<BaselineRow[]> {
  const { rows } = await sql.query(
    `SELECT key, events, hosts, ${epochMs(loc.engine, 'first_seen')}, ${epochMs(loc.engine, 'last_seen')} FROM ${baselineRelation(loc, 'baseline_keys')} WHERE kind = ? ORDER BY key`,
    [kind],
  );
  return rows.map((r) => ({ kind, key: String(r[0]), events: num(r[1]), hosts: num(r[2]), first_seen: num(r[3]), last_seen: num(r[4]) }));
}

/** Every kind's keys, one chunk per kind. */
export async function* readBaselineRows(sql: SqlEngine, loc: BaselineLocation): AsyncIterable<BaselineRow[]> {
  for (const kind of RARITY_KINDS) yield await readKind(sql, loc, kind);
}
