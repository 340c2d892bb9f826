/**
 * IP address helpers shared by enrichments: parse IPv4/IPv6 into a bigint so CIDR
 * ranges of both families use the same arithmetic, and classify private addresses.
 */
import { isIP } from 'node:net';

export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

export function parseIp(text: string): ParsedIp | null {
  const family = isIP(text);
  if (family === 4) {
    const parts = text.split('.');
    let v = 0n;
    for (const p of parts) v = (v << 8n) | BigInt(Number(p));
    return { family: 4, value: v };
  }
  if (family === 6) {
    let s = text;
    const zone = s.indexOf('%');
    if (zone >= 0) s = s.slice(0, zone);
    // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets
    const lastColon = s.lastIndexOf(':');
    const tail = s.slice(lastColon + 1);
    if (tail.includes('.')) {
      const v4 = parseIp(tail);
      if (!v4) return null;
      s = `${s.slice(0, lastColon + 1)}${(v4.value >> 16n).toString(16)}:${(v4.value & 0xffffn).toString(16)}`;
    }
    const [head, rest] = s.includes('::') ? s.split('::') as [string, string] : [s, null];
    const headParts = head ? head.split(':') : [];
    const restParts = rest === null ? [] : rest ? rest.split(':') : [];
    const fill = rest === null ? 0 : 8 - headParts.length - restParts.length;
    const all = [...headParts, ...Array<string>(fill).fill('0'), ...restParts];
    let v = 0n;
    for (const h of all) v = (v << 16n) | BigInt(parseInt(h, 16));
    return { family: 6, value: v };
  }
  return null;
}

const PRIVATE_V4: [number, number, number, number, number][] = [
  [10, 0, 0, 0, 8], [172, 16, 0, 0, 12], [192, 168, 0, 0, 16], [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16], [100, 64, 0, 0, 10], [0, 0, 0, 0, 8], [224, 0, 0, 0, 4], [255, 255, 255, 255, 32],
];

/** True for RFC 1918, loopback, link-local, CGNAT, multicast and IPv6 ULA/link-local: never in GeoIP. */
export function isPrivateIp(text: string): boolean {
  const ip = parseIp(text);
  if (!ip) return false;
  if (ip.family === 4) {
    const v = Number(ip.value);
    return PRIVATE_V4.some(([a, b, c, d, len]) => {
      const base = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
      const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
      return ((v & mask) >>> 0) === base;
    });
  }
  const top = ip.value >> 112n;
  return ip.value <= 1n || (top & 0xfe00n) === 0xfc00n || (top & 0xffc0n) === 0xfe80n || (top & 0xff00n) === 0xff00n;
}
