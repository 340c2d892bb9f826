/**
 * Lake column definitions derived from the Avro schema (schema/event.ts), so Parquet
 * files, DuckDB views and Trino/Hive tables cannot drift from it.
 *
 * Mapping (Avro → DuckDB | Trino):
 *   null-union [null, T]  → T, nullable
 *   string                → VARCHAR | varchar
 *   int / long            → INTEGER / BIGINT | integer / bigint
 *   double / float        → DOUBLE / FLOAT | double / real
 *   boolean               → BOOLEAN | boolean
 *   bytes                 → BLOB | varbinary
 *   long timestamp-millis → TIMESTAMP | timestamp(3)   (UTC, without zone)
 *   map<T>                → MAP(VARCHAR, T) | map(varchar, T)
 *   array<T>              → T[] | array(T)
 *   record                → STRUCT(...) | row(...)
 */
import { DEAD_LETTER_SCHEMA, EVENT_SCHEMA } from '../../schema/event.js';

export interface ColumnDef {
  name: string;
  /** Type in the target dialect, nested field names quoted. */
  type: string;
  nullable: boolean;
}

/** Hive partition keys of every lake table, in path order; their values live in the path. */
export const PARTITION_KEYS = ['source', 'dt', 'hour'] as const;
export const PARTITION_COLUMN_TYPES = {
  duckdb: { source: 'VARCHAR', dt: 'DATE', hour: 'INTEGER' },
  trino: { source: 'varchar', dt: 'date', hour: 'integer' },
} as const;

type Dialect = 'duckdb' | 'trino';
interface AvroField { name: string; type: unknown }
interface AvroRecord { type: 'record'; name: string; fields: readonly AvroField[] }

const PRIMITIVE_TYPES: Record<Dialect, Record<string, string>> = {
  duckdb: { string: 'VARCHAR', int: 'INTEGER', long: 'BIGINT', double: 'DOUBLE', float: 'FLOAT', boolean: 'BOOLEAN', bytes: 'BLOB' },
  trino: { string: 'varchar', int: 'integer', long: 'bigint', double: 'double', float: 'real', boolean: 'boolean', bytes: 'varbinary' },
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

class TypeMapper {
  /** Named records seen so far, so references by name (e.g. 'Geo') resolve. */
  private readonly named = new Map<string, AvroRecord>();

  constructor(private readonly dialect: Dialect) {}

  columns(schema: { fields: readonly AvroField[] }): ColumnDef[] {
    return schema.fields.map((f) => {
      const { type, nullable } = this.map(f.type);
      return { name: f.name, type, nullable };
    });
  }

  map(avro: unknown): { type: string; nullable: boolean } {
    if (Array.isArray(avro)) {
      const branches = avro.filter((b) => b !== 'null');
      if (branches.length !== 1) throw new Error(`unsupported Avro union ${JSON.stringify(avro)}: only [null, T] maps to a column`);
      return { type: this.map(branches[0]).type, nullable: true };
    }
    if (typeof avro === 'string') {
      const primitive = PRIMITIVE_TYPES[this.dialect][avro];
      if (primitive) return { type: primitive, nullable: false };
      const record = this.named.get(avro);
      if (!record) throw new Error(`unknown Avro type ${avro}`);
      return { type: this.struct(record), nullable: false };
    }
    const obj = avro as Record<string, unknown>;
    const t = obj['type'];
    if (t === 'long' && obj['logicalType'] === 'timestamp-millis') {
      return { type: this.dialect === 'duckdb' ? 'TIMESTAMP' : 'timestamp(3)', nullable: false };
    }
    if (t === 'record') {
      const record = obj as unknown as AvroRecord;
      this.named.set(record.name, record);
      return { type: this.struct(record), nullable: false };
    }
    if (t === 'map') {
      const values = this.map(obj['values']).type;
      return { type: this.dialect === 'duckdb' ? `MAP(VARCHAR, ${values})` : `map(varchar, ${values})`, nullable: false };
    }
    if (t === 'array') {
      const items = this.map(obj['items']).type;
      return { type: this.dialect === 'duckdb' ? `${items}[]` : `array(${items})`, nullable: false };
    }
    return this.map(t);
  }

  private struct(record: AvroRecord): string {
    const fields = record.fields.map((f) => `${quote(f.name)} ${this.map(f.type).type}`).join(', ');
    return this.dialect === 'duckdb' ? `STRUCT(${fields})` : `row(${fields})`;
  }
}

/** DuckDB column types of an Avro record schema, in schema order. */
export function avroToDuckDbColumns(schema: { fields: readonly AvroField[] }): ColumnDef[] {
  return new TypeMapper('duckdb').columns(schema);
}

/** Trino (Hive connector) column types of an Avro record schema, in schema order. */
export function avroToTrinoColumns(schema: { fields: readonly AvroField[] }): ColumnDef[] {
  return new TypeMapper('trino').columns(schema);
}

/** The lake tables: their directory under the lake root and the Avro schema of their rows. */
export const LAKE_TABLES = {
  events: { dir: 'events', schema: EVENT_SCHEMA },
  dead_letters: { dir: 'dead_letters', schema: DEAD_LETTER_SCHEMA },
} as const;
export type LakeTable = keyof typeof LAKE_TABLES;

/** Quotes an SQL identifier (DuckDB and Trino both use double quotes). */
export const quoteIdent = quote;
