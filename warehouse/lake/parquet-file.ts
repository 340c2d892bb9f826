/**
 * Writes lake rows to a Parquet file with hyparquet-writer (pure JS; chosen by
 * measurement, see bench/README.md "Parquet writer"). The Parquet schema is derived from
 * the Avro schema, so the file columns are exactly the schema's fields:
 *
 *   [null, T]  → OPTIONAL T          string → BYTE_ARRAY UTF8    int → INT32
 *   long       → INT64 (bigint)      double → DOUBLE             boolean → BOOLEAN
 *   bytes      → BYTE_ARRAY          long timestamp-millis → INT64 TIMESTAMP_MILLIS
 *   record     → group               map<T> → MAP group, key_value{key, value}
 *   array<T>   → LIST group, list{element}   (the three-level form readers expect)
 */
import { parquetWriteFile, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { LAKE_TABLES, type LakeTable } from './columns.js';
import type { ParquetEncoder } from './parquet-encoder.js';

interface AvroField { name: string; type: unknown }

export interface ParquetFileOptions {
  /** Rows per row group; DuckDB and Trino parallelise and prune by row group. */
  rowGroupSize?: number;
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
}

/** Turns a JS value into what hyparquet-writer expects for its column (INT64 wants bigint). */
type Convert = (v: unknown) => unknown;
const identity: Convert = (v) => v;

interface Compiled {
  elements: SchemaElement[];
  convert: Convert;
}

class ParquetSchemaBuilder {
  private readonly named = new Map<string, { fields: readonly AvroField[] }>();

  /** The schema elements (depth first) and value converter of one field. */
  field(name: string, avro: unknown, repetition: 'REQUIRED' | 'OPTIONAL'): Compiled {
    if (Array.isArray(avro)) {
      const branch = avro.find((b) => b !== 'null');
      const inner = this.field(name, branch, 'OPTIONAL');
      const convert = inner.convert === identity ? identity : (v: unknown) => (v === null || v === undefined ? v : inner.convert(v));
      return { elements: inner.elements, convert };
    }
    if (typeof avro === 'string') {
      const record = this.named.get(avro);
      if (record) return this.record(name, record.fields, repetition);
      return this.primitive(name, avro, repetition);
    }
    const obj = avro as Record<string, unknown>;
    if (obj['type'] === 'long' && obj['logicalType'] === 'timestamp-millis') {
      return { elements: [{ name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: repetition }], convert: identity };
    }
    if (obj['type'] === 'record') {
      this.named.set(obj['name'] as string, obj as unknown as { fields: AvroField[] });
      return this.record(name, obj['fields'] as AvroField[], repetition);
    }
    if (obj['type'] === 'map') {
      const value = this.field('value', obj['values'], 'REQUIRED');
      const key: SchemaElement = { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' };
      return {
        elements: [
          { name, converted_type: 'MAP', repetition_type: repetition, num_children: 1 },
          { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
          key,
          ...value.elements,
        ],
        convert: value.convert === identity ? identity : (m) => Object.fromEntries(Object.entries(m as object).map(([k, v]) => [k, value.convert(v)])),
      };
    }
    if (obj['type'] === 'array') {
      const item = this.field('element', obj['items'], 'REQUIRED');
      return {
        elements: [
          { name, converted_type: 'LIST', repetition_type: repetition, num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          ...item.elements,
        ],
        convert: item.convert === identity ? identity : (a) => (a as unknown[]).map(item.convert),
      };
    }
    return this.field(name, obj['type'], repetition);
  }

  private primitive(name: string, avro: string, repetition: 'REQUIRED' | 'OPTIONAL'): Compiled {
    const el = (type: SchemaElement['type'], extra: Partial<SchemaElement> = {}): SchemaElement => ({ name, type, repetition_type: repetition, ...extra });
    switch (avro) {
      case 'string': return { elements: [el('BYTE_ARRAY', { converted_type: 'UTF8' })], convert: identity };
      case 'int': return { elements: [el('INT32')], convert: identity };
      case 'long': return { elements: [el('INT64')], convert: (v) => (typeof v === 'number' ? BigInt(v) : v) };
      case 'double': return { elements: [el('DOUBLE')], convert: identity };
      case 'float': return { elements: [el('FLOAT')], convert: identity };
      case 'boolean': return { elements: [el('BOOLEAN')], convert: identity };
      case 'bytes': return { elements: [el('BYTE_ARRAY')], convert: identity };
      default: throw new Error(`unsupported Avro type for Parquet: ${avro}`);
    }
  }

  private record(name: string, fields: readonly AvroField[], repetition: 'REQUIRED' | 'OPTIONAL'): Compiled {
    const children = fields.map((f) => ({ name: f.name, ...this.field(f.name, f.type, 'REQUIRED') }));
    const converting = children.filter((c) => c.convert !== identity);
    const convert: Convert = converting.length === 0 ? identity : (v) => {
      const out = { ...(v as Record<string, unknown>) };
      for (const c of converting) out[c.name] = c.convert(out[c.name]);
      return out;
    };
    return {
      elements: [{ name, repetition_type: repetition, num_children: fields.length }, ...children.flatMap((c) => c.elements)],
      convert,
    };
  }
}

interface TableLayout {
  schema: SchemaElement[];
  columns: { name: string; convert: Convert }[];
}

const layouts = new Map<LakeTable, TableLayout>();

/** The Parquet schema and per-column converters of a lake table, built once. */
export function parquetLayout(table: LakeTable): TableLayout {
  let layout = layouts.get(table);
  if (!layout) {
    const builder = new ParquetSchemaBuilder();
    const fields = LAKE_TABLES[table].schema.fields as readonly AvroField[];
    const compiled = fields.map((f) => ({ name: f.name, ...builder.field(f.name, f.type, 'REQUIRED') }));
    layout = {
      schema: [{ name: 'root', num_children: fields.length }, ...compiled.flatMap((c) => c.elements)],
      columns: compiled.map((c) => ({ name: c.name, convert: c.convert })),
    };
    layouts.set(table, layout);
  }
  return layout;
}

/** Writes rows (objects shaped by the table's Avro schema) to a local Parquet file. */
export function writeParquetFile(table: LakeTable, rows: readonly object[], file: string, options: ParquetFileOptions = {}): void {
  const layout = parquetLayout(table);
  const columnData: ColumnSource[] = layout.columns.map(({ name, convert }) => {
    const data = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = (rows[i] as Record<string, unknown>)[name];
      data[i] = convert === identity ? v : convert(v);
    }
    return { name, data };
  });
  parquetWriteFile({
    filename: file,
    columnData,
    schema: layout.schema,
    codec: options.codec ?? 'SNAPPY',
    rowGroupSize: options.rowGroupSize ?? 100_000,
    // Min/max statistics let readers skip row groups on ts, host, etc.
    statistics: true,
  });
}

export const writeEventsParquet = (rows: readonly object[], file: string, options?: ParquetFileOptions): void =>
  writeParquetFile('events', rows, file, options);

/** The pure-JS ParquetEncoder (Snappy). */
export class HyparquetEncoder implements ParquetEncoder {
  readonly name = 'hyparquet-writer';
  constructor(private readonly options: ParquetFileOptions = {}) {}

  async write(table: LakeTable, rows: readonly object[], file: string): Promise<void> {
    writeParquetFile(table, rows, file, this.options);
  }

  async close(): Promise<void> {}
}
