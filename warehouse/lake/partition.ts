/**
 * Where rows land in the lake: Hive partitions `<table>/source=<source>/dt=YYYY-MM-DD/hour=HH/`
 * from the row's `ts` (UTC), and deterministic object names derived from the origin and
 * the offset range, so replaying the same input rewrites the same objects instead of
 * adding duplicates.
 */
import { createHash } from 'node:crypto';

export interface PartitionKey {
  source: string;
  /** YYYY-MM-DD, UTC. */
  dt: string;
  /** 00-23, UTC. */
  hour: string;
}

/**
 * Partition values must be safe path segments: anything outside [A-Za-z0-9._-] is
 * percent-encoded, as Hive does for special characters, and an empty source is `unknown`.
 */
export function partitionValue(value: string): string {
  if (value === '') return 'unknown';
  const encoded = value.replace(/[^A-Za-z0-9._-]/g, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

export function partitionOf(source: string, ts: number): PartitionKey {
  // Out-of-range times (NaN, beyond year 9999) still need a home; epoch 0 keeps them findable.
  const d = new Date(Number.isFinite(ts) && Math.abs(ts) <= 253402300799999 ? ts : 0);
  const iso = d.toISOString(); // YYYY-MM-DDTHH:...; years 0-9999 keep this shape
  return { source: partitionValue(source), dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** `source=windows/dt=2024-03-01/hour=10` */
export function partitionPath(p: PartitionKey): string {
  return `source=${p.source}/dt=${p.dt}/hour=${p.hour}`;
}

/** Short stable hash of an origin (file path, topic/partition, listener) for object names. */
export function originHash(origin: string): string {
  return createHash('sha256').update(origin).digest('hex').slice(0, 16);
}

/**
 * The object key of one Parquet file: `<table>/<partition>/part-<origin hash>-<first>-<last>.parquet`.
 * Offsets are zero-padded so names sort in offset order.
 */
export function objectKey(table: string, partition: PartitionKey, origin: string, firstOffset: number, lastOffset: number): string {
  const pad = (n: number) => String(n).padStart(12, '0');
  return `${table}/${partitionPath(partition)}/part-${originHash(origin)}-${pad(firstOffset)}-${pad(lastOffset)}.parquet`;
}
