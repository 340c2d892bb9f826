/**
 * The lake tables in Trino's Hive catalog: external tables over the sink's Parquet files
 * in S3, columns from the Avro schema (columns.ts), partitioned by source, dt and hour.
 * `source` is both an event field and the first partition key; Hive cannot have a column
 * twice, so the table takes it from the path (the file's copy is the same value).
 *
 * Identifiers come from validated config (catalog and schema match ^\w+$); the S3
 * location is checked here; the statements carry no other outside input.
 */
import { NightjarError } from '../../core/errors.js';
import { EVENT_SCHEMA, DEAD_LETTER_SCHEMA } from '../../schema/event.js';
import { avroToTrinoColumns, PARTITION_COLUMN_TYPES, PARTITION_KEYS, quoteIdent } from '../lake/columns.js';
import type { SqlEngine } from '../sql/port.js';

/** The three lake tables the sink lands: directory under the lake root and row schema. */
export const SINK_TABLES = {
  events: { dir: 'events', schema: EVENT_SCHEMA },
  alerts: { dir: 'alerts', schema: EVENT_SCHEMA },
  dead_letters: { dir: 'dead_letters', schema: DEAD_LETTER_SCHEMA },
} as const;
export type SinkTable = keyof typeof SINK_TABLES;

const IDENT = /^\w+$/;
const LOCATION = /^s3a?:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._=-]+)*\/?$/;

function ident(name: string, what: string): string {
  if (!IDENT.test(name)) throw new NightjarError('CONFIG_INVALID', `${what} ${JSON.stringify(name)} is not a plain SQL identifier (letters, digits, _)`);
  return quoteIdent(name);
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export interface TrinoLakeLocation {
  catalog: string;
  schema: string;
  /** `s3://bucket/prefix`: the lake root holding events/, alerts/, dead_letters/. */
  root: string;
}

/** The data columns of a table (partition keys excluded), as `"name" type`. */
export function trinoDataColumns(table: SinkTable): { name: string; type: string }[] {
  const partitionKeys = new Set<string>(PARTITION_KEYS);
  return avroToTrinoColumns(SINK_TABLES[table].schema).filter((c) => !partitionKeys.has(c.name));
}

export function createSchemaSql(loc: TrinoLakeLocation): string {
  return `CREATE SCHEMA IF NOT EXISTS ${ident(loc.catalog, 'catalog')}.${ident(loc.schema, 'schema')}`;
}

export function createTableSql(loc: TrinoLakeLocation, table: SinkTable): string {
  const root = loc.root.replace(/\/+$/, '');
  if (!LOCATION.test(root)) throw new NightjarError('CONFIG_INVALID', `lake location ${JSON.stringify(root)} is not a plain s3://bucket/prefix`);
  const columns = [
    ...trinoDataColumns(table).map((c) => `${quoteIdent(c.name)} ${c.type}`),
    ...PARTITION_KEYS.map((k) => `${quoteIdent(k)} ${PARTITION_COLUMN_TYPES.trino[k]}`),
  ];
  return (
    `CREATE TABLE IF NOT EXISTS ${ident(loc.catalog, 'catalog')}.${ident(loc.schema, 'schema')}.${ident(table, 'table')} (\n  ${columns.join(',\n  ')}\n)\n` +
    `WITH (external_location = ${literal(`${root}/${SINK_TABLES[table].dir}`)}, format = 'PARQUET', ` +
    `partitioned_by = ARRAY[${PARTITION_KEYS.map((k) => literal(k)).join(', ')}])`
  );
}

export function syncPartitionsSql(loc: TrinoLakeLocation, table: SinkTable): string {
  ident(table, 'table');
  return `CALL ${ident(loc.catalog, 'catalog')}.system.sync_partition_metadata(${literal(loc.schema)}, ${literal(table)}, 'ADD')`;
}

/**
 * Creates the schema and tables when missing and adds columns the Avro schema gained
 * since (schema evolution adds fields with defaults; old files read them as NULL).
 */
export async function ensureTrinoTables(engine: SqlEngine, loc: TrinoLakeLocation): Promise<void> {
  await engine.query(createSchemaSql(loc));
  for (const table of Object.keys(SINK_TABLES) as SinkTable[]) {
    await engine.query(createTableSql(loc, table));
    const existing = await engine.query(
      `SELECT column_name FROM ${ident(loc.catalog, 'catalog')}.information_schema.columns WHERE table_schema = ? AND table_name = ?`,
      [loc.schema, table],
    );
    const have = new Set(existing.rows.map((r) => String(r[0])));
    for (const c of trinoDataColumns(table)) {
      if (have.has(c.name)) continue;
      await engine.query(`ALTER TABLE ${ident(loc.catalog, 'catalog')}.${ident(loc.schema, 'schema')}.${ident(table, 'table')} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
    }
  }
}

/** Makes new Hive partitions of a table visible (sync discovers directories the metastore lacks). */
export async function syncTrinoPartitions(engine: SqlEngine, loc: TrinoLakeLocation, table: SinkTable): Promise<void> {
  await engine.query(syncPartitionsSql(loc, table));
}
