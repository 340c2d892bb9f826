/**
 * Fills Avro defaults into rows before they are encoded. Fields added to the schema later
 * carry defaults and are optional in TypeScript (schema/types.ts), so a row may lack them;
 * avsc applies defaults itself, but the Parquet encoders need every column present.
 */
import { LAKE_TABLES, type LakeTable } from './columns.js';

type Fill = (v: unknown) => unknown;
interface AvroField { name: string; type: unknown; default?: unknown }

const clone = (v: unknown): unknown => (v !== null && typeof v === 'object' ? structuredClone(v) : v);

class FillCompiler {
  private readonly named = new Map<string, { fields: readonly AvroField[] }>();

  /** A function filling defaults inside values of this type, or null when nothing can be missing. */
  compile(avro: unknown): Fill | null {
    if (Array.isArray(avro)) {
      const inner = this.compile(avro.find((b) => b !== 'null'));
      return inner && ((v) => (v === null || v === undefined ? v : inner(v)));
    }
    if (typeof avro === 'string') {
      const record = this.named.get(avro);
      return record ? this.record(record.fields) : null;
    }
    const obj = avro as Record<string, unknown>;
    if (obj['type'] === 'record') {
      this.named.set(obj['name'] as string, obj as unknown as { fields: AvroField[] });
      return this.record(obj['fields'] as AvroField[]);
    }
    if (obj['type'] === 'array') {
      const item = this.compile(obj['items']);
      return item && ((v) => (Array.isArray(v) ? v.map(item) : v));
    }
    if (obj['type'] === 'map') {
      const value = this.compile(obj['values']);
      return value && ((v) => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)])) : v));
    }
    if (typeof obj['type'] === 'object') return this.compile(obj['type']);
    return null;
  }

  private record(fields: readonly AvroField[]): Fill | null {
    const parts = fields
      .map((f) => ({ name: f.name, hasDefault: 'default' in f, def: f.default, fill: this.compile(f.type) }))
      .filter((p) => p.hasDefault || p.fill);
    if (parts.length === 0) return null;
    return (v) => {
      if (v === null || typeof v !== 'object') return v;
      let out = v as Record<string, unknown>;
      for (const p of parts) {
        const cur = out[p.name];
        let next = cur === undefined && p.hasDefault ? clone(p.def) : cur;
        if (p.fill && next !== null && next !== undefined) next = p.fill(next);
        if (next !== cur) {
          if (out === v) out = { ...out };
          out[p.name] = next;
        }
      }
      return out;
    };
  }
}

const fillers = new Map<LakeTable, Fill>();

/** Returns the row with every missing defaulted field set (the same object when none was missing). */
export function withDefaults<T extends object>(table: LakeTable, row: T): T {
  let fill = fillers.get(table);
  if (!fill) {
    fill = new FillCompiler().compile(LAKE_TABLES[table].schema) ?? ((v) => v);
    fillers.set(table, fill);
  }
  return fill(row) as T;
}
