/**
 * GeoIP adapter over MaxMind databases (City and ASN), the only file importing `maxmind`.
 *
 * A database can open cleanly and still hold broken data pointers that only fail on
 * lookup (MaxMind's own broken-pointers test database does). So `open` walks the search
 * tree and looks up one address per data record, up to a cap, and refuses a database
 * that fails with GEOIP_DATABASE_INVALID naming the file: a clear error at start-up
 * rather than a crash, or silently missing geo, in the middle of a run.
 */
import { readFileSync } from 'node:fs';
import { Reader, type AsnResponse, type CityResponse } from 'maxmind';
import type { Geo } from '../../schema/types.js';
import { NightjarError } from '../../core/errors.js';
import type { GeoLookup } from './geo-port.js';

const VALIDATE_MAX_NODES = 2_000_000;

interface TreeInfo {
  nodeCount: number;
  recordSize: number;
  ipVersion: number;
}

function readRecords(tree: Buffer, node: number, recordSize: number): [number, number] {
  switch (recordSize) {
    case 24: {
      const o = node * 6;
      return [tree.readUIntBE(o, 3), tree.readUIntBE(o + 3, 3)];
    }
    case 28: {
      const o = node * 7;
      const middle = tree[o + 3]!;
      return [((middle & 0xf0) << 20) + tree.readUIntBE(o, 3), ((middle & 0x0f) << 24) + tree.readUIntBE(o + 4, 3)];
    }
    case 32: {
      const o = node * 8;
      return [tree.readUInt32BE(o), tree.readUInt32BE(o + 4)];
    }
    default:
      throw new Error(`unsupported record size ${recordSize}`);
  }
}

function addressFromPrefix(value: bigint, depth: number, ipVersion: number): string {
  const bits = ipVersion === 6 ? 128 : 32;
  const full = value << BigInt(bits - depth);
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((full >> s) & 0xffn)).join('.');
  const hextets: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) hextets.push(((full >> s) & 0xffffn).toString(16));
  return hextets.join(':');
}

/** Looks up one address inside every data record reachable from the tree. */
function validate(reader: Reader<object>, db: Buffer, info: TreeInfo): void {
  const tree = db.subarray(0, info.nodeCount * info.recordSize / 4);
  const seenPointers = new Set<number>();
  const stack: [number, number, bigint][] = [[0, 0, 0n]];
  let visited = 0;
  while (stack.length > 0 && visited++ < VALIDATE_MAX_NODES) {
    const [node, depth, prefix] = stack.pop()!;
    const [left, right] = readRecords(tree, node, info.recordSize);
    for (const [record, bit] of [[left, 0n], [right, 1n]] as const) {
      const next = (prefix << 1n) | bit;
      if (record < info.nodeCount) stack.push([record, depth + 1, next]);
      else if (record > info.nodeCount && !seenPointers.has(record)) {
        seenPointers.add(record);
        reader.get(addressFromPrefix(next, depth + 1, info.ipVersion));
      }
    }
  }
}

function openReader<T extends object>(path: string, expected: RegExp): Reader<T> {
  let db: Buffer;
  try {
    db = readFileSync(path);
  } catch (err) {
    throw new NightjarError('GEOIP_DATABASE_INVALID', `cannot read the MaxMind database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const reader = new Reader<T>(db);
    const type = reader.metadata.databaseType;
    if (!expected.test(type)) {
      throw new Error(`it is a "${type}" database, expected one matching ${expected}`);
    }
    validate(reader, db, reader.metadata as unknown as TreeInfo);
    return reader;
  } catch (err) {
    throw new NightjarError(
      'GEOIP_DATABASE_INVALID',
      `the MaxMind database ${path} is invalid or corrupt: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

export class MaxmindGeo implements GeoLookup {
  private constructor(
    private readonly city: Reader<CityResponse> | null,
    private readonly asn: Reader<AsnResponse> | null,
  ) {}

  static open(paths: { city?: string | null; asn?: string | null }): MaxmindGeo {
    return new MaxmindGeo(
      paths.city ? openReader<CityResponse>(paths.city, /city/i) : null,
      paths.asn ? openReader<AsnResponse>(paths.asn, /asn/i) : null,
    );
  }

  lookup(ip: string): Geo | null {
    const c = this.city?.get(ip) ?? null;
    const a = this.asn?.get(ip) ?? null;
    if (!c && !a) return null;
    return {
      country: c?.country?.iso_code ?? c?.registered_country?.iso_code ?? null,
      city: c?.city?.names?.en ?? null,
      lat: c?.location?.latitude ?? null,
      lon: c?.location?.longitude ?? null,
      asn: a?.autonomous_system_number ?? null,
      as_org: a?.autonomous_system_organization ?? null,
    };
  }
}
