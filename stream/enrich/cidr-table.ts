/**
 * Longest-prefix match over CIDR ranges of both families. Ranges are bucketed by prefix
 * length, so a lookup is at most 33 (IPv4) or 129 (IPv6) map probes, with no scan of the
 * table: O(1) in its size. Used for internal sites and for threat-intel ranges.
 */
import { parseIp } from '../../core/ip.js';

export class CidrTable<V> {
  // family → prefix length → network value → entry
  private readonly buckets = new Map<4 | 6, Map<number, Map<bigint, V>>>([[4, new Map()], [6, new Map()]]);
  private readonly lengths = new Map<4 | 6, number[]>([[4, []], [6, []]]);
  private entries = 0;

  get size(): number {
    return this.entries;
  }

  /** Adds a range; throws a RangeError naming the CIDR when it is not one. */
  add(cidr: string, value: V): void {
    const slash = cidr.indexOf('/');
    const ip = parseIp(slash < 0 ? cidr : cidr.slice(0, slash));
    if (!ip) throw new RangeError(`"${cidr}" is not an IP address or CIDR range`);
    const bits = ip.family === 4 ? 32 : 128;
    const len = slash < 0 ? bits : Number(cidr.slice(slash + 1));
    if (!Number.isInteger(len) || len < 0 || len > bits) throw new RangeError(`"${cidr}" has an invalid prefix length`);
    const network = (ip.value >> BigInt(bits - len)) << BigInt(bits - len);
    const byLen = this.buckets.get(ip.family)!;
    let bucket = byLen.get(len);
    if (!bucket) {
      bucket = new Map();
      byLen.set(len, bucket);
      const lens = this.lengths.get(ip.family)!;
      lens.push(len);
      lens.sort((a, b) => b - a); // longest prefix first
    }
    if (!bucket.has(network)) this.entries++;
    bucket.set(network, value);
  }

  lookup(address: string): V | undefined {
    const ip = parseIp(address);
    if (!ip) return undefined;
    const bits = ip.family === 4 ? 32 : 128;
    const byLen = this.buckets.get(ip.family)!;
    for (const len of this.lengths.get(ip.family)!) {
      const shift = BigInt(bits - len);
      const hit = byLen.get(len)!.get((ip.value >> shift) << shift);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}
