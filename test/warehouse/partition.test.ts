import { describe, expect, it } from 'vitest';
import { objectKey, originHash, partitionOf, partitionPath, partitionValue } from '../../warehouse/lake/partition.js';

describe('lake partitions', () => {
  it('partitions by source, UTC date and hour', () => {
    // 23:30 UTC on 31 Dec is already the next day in most of Europe: the partition must stay UTC.
    const p = partitionOf('windows', Date.UTC(2023, 11, 31, 23, 30));
    expect(partitionPath(p)).toBe('source=windows/dt=2023-12-31/hour=23');
    expect(partitionPath(partitionOf('zeek', Date.UTC(2024, 0, 1, 0, 0, 0, 1)))).toBe('source=zeek/dt=2024-01-01/hour=00');
  });

  it('keeps odd source names and times inside one safe path segment', () => {
    expect(partitionValue('a/b')).toBe('a%2Fb');
    expect(partitionValue('..')).toBe('%2E%2E');
    expect(partitionValue('')).toBe('unknown');
    expect(partitionValue('zeek.conn-1_x')).toBe('zeek.conn-1_x');
    expect(partitionPath(partitionOf('linux', Number.NaN))).toBe('source=linux/dt=1970-01-01/hour=00');
  });

  it('names objects deterministically from origin and offset range', () => {
    const p = partitionOf('windows', Date.UTC(2024, 2, 1, 10));
    const a = objectKey('events', p, 'kafka:raw/3', 100, 2000);
    expect(a).toBe(`events/source=windows/dt=2024-03-01/hour=10/part-${originHash('kafka:raw/3')}-000000000100-000000002000.parquet`);
    expect(objectKey('events', p, 'kafka:raw/3', 100, 2000)).toBe(a);
    expect(objectKey('events', p, 'kafka:raw/4', 100, 2000)).not.toBe(a);
    expect(originHash('kafka:raw/3')).toMatch(/^[0-9a-f]{16}$/);
  });
});
