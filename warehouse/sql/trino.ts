/**
 * TrinoEngine: the scale-out SqlEngine, Trino with the Hive connector over the lake in
 * S3; the only file importing trino-client. Queries run in the configured catalog and
 * schema, so `SELECT ... FROM events` means the same as on DuckDB.
 *
 * Parameters: Trino's protocol has no binary binding, but `EXECUTE IMMEDIATE '<sql>'
 * USING <v1>, <v2>` keeps every value outside the statement text; each value is
 * rendered as a typed literal (strings with quotes doubled), never spliced into the SQL.
 *
 * Results: Trino sends ROW values as positional arrays; they are turned into objects
 * using the column type, so rows look like DuckDB's STRUCTs.
 */
import { BasicAuth, Trino } from 'trino-client';
import { NightjarError } from '../../core/errors.js';
import type { SqlEngine, SqlResult, SqlValue } from './port.js';

export interface TrinoOptions {
  server: string;
  catalog: string;
  schema: string;
  user: string;
  password: string | null;
}

type Param = string | number | boolean | null;

/** A literal for EXECUTE ... USING; strings are quoted with '' escaping. */
export function trinoLiteral(v: Param): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new NightjarError('INVALID_FIELD', `SQL parameter ${v} is not a finite number`);
    return Number.isInteger(v) ? `BIGINT '${v}'` : `DOUBLE '${v}'`;
  }
  return `'${v.replace(/'/g, "''")}'`;
}

/** Wraps a statement with parameters into EXECUTE IMMEDIATE; without parameters it is left alone. */
export function bindTrino(sql: string, params: readonly Param[] = []): string {
  if (params.length === 0) return sql;
  return `EXECUTE IMMEDIATE '${sql.replace(/'/g, "''")}' USING ${params.map(trinoLiteral).join(', ')}`;
}

/** A parsed Trino type: `row(a varchar, b array(integer))` and friends. */
export type TrinoType =
  | { kind: 'row'; fields: { name: string; type: TrinoType }[] }
  | { kind: 'array'; items: TrinoType }
  | { kind: 'map'; key: TrinoType; value: TrinoType }
  | { kind: 'scalar'; name: string };

/** Splits on commas at parenthesis depth 0. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && c === ',' && depth === 0) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts;
}

export function parseTrinoType(type: string): TrinoType {
  const t = type.trim();
  const open = t.indexOf('(');
  const head = (open < 0 ? t : t.slice(0, open)).toLowerCase();
  const inner = open < 0 ? '' : t.slice(open + 1, t.lastIndexOf(')'));
  if (head === 'array') return { kind: 'array', items: parseTrinoType(inner) };
  if (head === 'map') {
    const [k, v] = splitTop(inner);
    return { kind: 'map', key: parseTrinoType(k!), value: parseTrinoType(v!) };
  }
  if (head === 'row') {
    return {
      kind: 'row',
      fields: splitTop(inner).map((f) => {
        const m = /^("(?:[^"]|"")*"|\S+)\s+(.*)$/.exec(f);
        if (!m) return { name: f, type: { kind: 'scalar', name: 'unknown' } as TrinoType };
        const name = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!;
        return { name, type: parseTrinoType(m[2]!) };
      }),
    };
  }
  return { kind: 'scalar', name: head };
}

/** Reshapes a value from the wire by its type: rows become objects, recursively. */
export function shapeValue(v: unknown, type: TrinoType): SqlValue {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'row': {
      const arr = v as unknown[];
      const out: Record<string, SqlValue> = {};
      type.fields.forEach((f, i) => (out[f.name] = shapeValue(arr[i], f.type)));
      return out;
    }
    case 'array':
      return (v as unknown[]).map((x) => shapeValue(x, type.items));
    case 'map': {
      const out: Record<string, SqlValue> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = shapeValue(x, type.value);
      return out;
    }
    default:
      return v as SqlValue;
  }
}

export class TrinoEngine implements SqlEngine {
  readonly name = 'trino';

  private constructor(private readonly client: Trino, readonly options: TrinoOptions) {}

  static async create(options: TrinoOptions): Promise<TrinoEngine> {
    const client = Trino.create({
      server: options.server,
      catalog: options.catalog,
      schema: options.schema,
      source: 'nightjar',
      auth: new BasicAuth(options.user, options.password ?? undefined),
    });
    return new TrinoEngine(client, options);
  }

  async query(sql: string, params: readonly Param[] = []): Promise<SqlResult> {
    const statement = bindTrino(sql, params);
    let columns: { name: string; type: TrinoType }[] | null = null;
    const rows: SqlValue[][] = [];
    try {
      for await (const page of await this.client.query(statement)) {
        if (page.error) {
          throw new NightjarError('SQL_FAILED', `Trino: ${page.error.message}`, { cause: page.error });
        }
        if (!columns && page.columns) columns = page.columns.map((c) => ({ name: c.name, type: parseTrinoType(c.type) }));
        for (const row of page.data ?? []) {
          rows.push((row as unknown[]).map((v, i) => shapeValue(v, columns?.[i]?.type ?? { kind: 'scalar', name: 'unknown' })));
        }
      }
    } catch (err) {
      if (err instanceof NightjarError) throw err;
      const e = err as { code?: string; message?: string };
      throw new NightjarError('SERVICE_UNAVAILABLE', `cannot reach Trino at ${this.options.server}: ${e.message ?? e.code ?? String(err)}`, { cause: err });
    }
    return { columns: (columns ?? []).map((c) => c.name), rows };
  }

  async close(): Promise<void> {
    // The client holds no connection between queries.
  }
}
