import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_SCHEMA, EVENT_SCHEMA } from '../../schema/event.js';
import { avroToDuckDbColumns, avroToTrinoColumns } from '../../warehouse/lake/columns.js';

const byName = (cols: { name: string; type: string; nullable: boolean }[]) => Object.fromEntries(cols.map((c) => [c.name, c]));

describe('column definitions from the Avro schema', () => {
  it('maps every event field to a DuckDB type', () => {
    const cols = avroToDuckDbColumns(EVENT_SCHEMA);
    expect(cols.map((c) => c.name)).toEqual(EVENT_SCHEMA.fields.map((f) => f.name));
    const c = byName(cols);
    expect(c['ts']).toEqual({ name: 'ts', type: 'TIMESTAMP', nullable: false });
    expect(c['host']).toEqual({ name: 'host', type: 'VARCHAR', nullable: true });
    expect(c['dst_port']?.type).toBe('INTEGER');
    expect(c['process_id']?.type).toBe('BIGINT');
    expect(c['fields']?.type).toBe('MAP(VARCHAR, VARCHAR)');
    expect(c['flags']?.type).toBe('STRUCT("rule" VARCHAR, "score" INTEGER, "reason" VARCHAR)[]');
    expect(c['stats']?.type).toBe('STRUCT("kind" VARCHAR, "key" VARCHAR, "count" BIGINT, "first_seen" BOOLEAN)[]');
    // dst_geo refers to Geo by name; it must resolve to the same struct as src_geo.
    expect(c['dst_geo']?.type).toBe(c['src_geo']?.type);
    expect(c['src_geo']?.type).toBe('STRUCT("country" VARCHAR, "city" VARCHAR, "lat" DOUBLE, "lon" DOUBLE, "asn" BIGINT, "as_org" VARCHAR)');
    expect(c['src_geo']?.nullable).toBe(true);
    expect(byName(avroToDuckDbColumns(DEAD_LETTER_SCHEMA))['raw']?.type).toBe('BLOB');
  });

  it('maps every event field to a Trino/Hive type', () => {
    const c = byName(avroToTrinoColumns(EVENT_SCHEMA));
    expect(Object.keys(c)).toHaveLength(EVENT_SCHEMA.fields.length);
    expect(c['ts']?.type).toBe('timestamp(3)');
    expect(c['user']?.type).toBe('varchar');
    expect(c['event_code']?.type).toBe('integer');
    expect(c['parent_process_id']?.type).toBe('bigint');
    expect(c['fields']?.type).toBe('map(varchar, varchar)');
    expect(c['flags']?.type).toBe('array(row("rule" varchar, "score" integer, "reason" varchar))');
    expect(c['dst_site']?.type).toBe('row("site" varchar, "location" varchar, "owner" varchar, "cidr" varchar)');
    expect(c['src_geo']?.type).toBe('row("country" varchar, "city" varchar, "lat" double, "lon" double, "asn" bigint, "as_org" varchar)');
    expect(byName(avroToTrinoColumns(DEAD_LETTER_SCHEMA))['raw']?.type).toBe('varbinary');
  });

  it('rejects unions it cannot map to one column', () => {
    expect(() => avroToDuckDbColumns({ fields: [{ name: 'x', type: ['null', 'int', 'string'] }] })).toThrow(/union/);
  });
});
