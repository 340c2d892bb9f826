/**
 * Threat-intel indicators: the one shape every feed format is imported into, and the
 * normal forms that make a feed's value and an event's value compare equal (lower-case
 * hashes and domains, canonical IP text, URLs without scheme or fragment).
 */
import { domainToASCII } from 'node:url';
import { parseIp } from '../../../core/ip.js';

export type IndicatorType = 'ip' | 'cidr' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

export const INDICATOR_TYPES: readonly IndicatorType[] = ['ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'];

export interface Indicator {
  /** The normalised value (see normaliseIndicator). */
  value: string;
  type: IndicatorType;
  /** Every feed that listed it. */
  sources: string[];
  /** 0-100, the highest any feed gave; null when no feed said. */
  confidence: number | null;
  /** Epoch ms. */
  first_seen: number | null;
  last_seen: number | null;
}

/** The key of an indicator in the exact-match index and in the state store. */
export function indicatorKey(type: IndicatorType, value: string): string {
  return `${type}|${value}`;
}

const HEX = /^[0-9a-f]+$/;
const HASH_LENGTHS: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** Canonical text of an address: dotted IPv4, or eight unabbreviated lower-case IPv6 hextets. */
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function canonicalIp(text: string): string | null {
  if (DOTTED_QUAD.test(text)) return text; // the common case, already canonical: skip the bigint parse
  const ip = parseIp(text.trim());
  if (!ip) return null;
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address
  if (ip.value >> 32n === 0xffffn) return canonicalIp([24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.'));
  const hextets: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) hextets.push(((ip.value >> s) & 0xffffn).toString(16));
  return hextets.join(':');
}

export function normaliseDomain(text: string): string | null {
  let d = text.trim().toLowerCase();
  if (d.startsWith('*.')) d = d.slice(2);
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (!/^[\x00-\x7f]*$/.test(d)) d = domainToASCII(d);
  return DOMAIN.test(d) ? d : null;
}

/**
 * A URL as `host[:port]/path?query`: scheme and fragment dropped (a feed listing
 * http://x/a must match an event's https://x/a), host lower-cased, default ports and
 * dot segments removed by the WHATWG parser.
 */
export function normaliseUrl(text: string): string | null {
  let t = text.trim();
  if (!t) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) t = `http://${t}`;
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return null;
  }
  if (!u.hostname) return null;
  const host = u.hostname.startsWith('[') ? u.hostname : u.hostname.replace(/\.$/, '');
  return `${host}${u.port ? `:${u.port}` : ''}${u.pathname}${u.search}`;
}

/** The host part of a normalised URL, for domain and IP matching of URL fields. */
export function urlHost(normalisedUrl: string): string {
  const slash = normalisedUrl.indexOf('/');
  const hostPort = slash < 0 ? normalisedUrl : normalisedUrl.slice(0, slash);
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const colon = hostPort.lastIndexOf(':');
  return colon < 0 ? hostPort : hostPort.slice(0, colon);
}

export function normaliseCidr(text: string): { type: 'ip' | 'cidr'; value: string } | null {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const ip = canonicalIp(text);
    return ip ? { type: 'ip', value: ip } : null;
  }
  const ip = parseIp(text.slice(0, slash).trim());
  const len = Number(text.slice(slash + 1).trim());
  if (!ip) return null;
  const bits = ip.family === 4 ? 32 : 128;
  if (!Number.isInteger(len) || len < 0 || len > bits) return null;
  const canonical = canonicalIp(text.slice(0, slash))!;
  if (len === bits) return { type: 'ip', value: canonical };
  // store the network address, so 10.1.2.3/8 and 10.0.0.0/8 are one indicator
  const network = (ip.value >> BigInt(bits - len)) << BigInt(bits - len);
  const text4or6 = ip.family === 4
    ? [24n, 16n, 8n, 0n].map((s) => String((network >> s) & 0xffn)).join('.')
    : Array.from({ length: 8 }, (_, i) => ((network >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
  return { type: 'cidr', value: `${text4or6}/${len}` };
}

/** Normalises a value of a known type; null when it is not one. An IP type may turn out a range and vice versa. */
export function normaliseIndicator(type: IndicatorType, raw: string): { type: IndicatorType; value: string } | null {
  switch (type) {
    case 'ip':
    case 'cidr':
      return normaliseCidr(raw);
    case 'domain': {
      const d = normaliseDomain(raw);
      if (d) return { type, value: d };
      const ip = canonicalIp(raw); // some feeds list addresses as hostnames
      return ip ? { type: 'ip', value: ip } : null;
    }
    case 'url': {
      const u = normaliseUrl(raw);
      return u ? { type, value: u } : null;
    }
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const h = raw.trim().toLowerCase();
      return HEX.test(h) && HASH_LENGTHS[h.length] === type ? { type, value: h } : null;
    }
  }
}

/** Guesses the type of a bare value from a plain list. */
export function inferIndicator(raw: string): { type: IndicatorType; value: string } | null {
  const t = raw.trim();
  if (!t) return null;
  const lower = t.toLowerCase();
  if (HEX.test(lower) && HASH_LENGTHS[lower.length]) return { type: HASH_LENGTHS[lower.length]!, value: lower };
  const cidr = normaliseCidr(t);
  if (cidr) return cidr;
  // defanged values (evil[.]com, hxxp://) are common in shared lists
  if (t.includes('[.]') || /^hxxps?:/i.test(t)) return inferIndicator(t.replace(/\[\.\]/g, '.').replace(/^hxxp/i, 'http'));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) || /^[^/\s]+\.[^/\s]+\/\S*$/.test(t)) {
    const u = normaliseUrl(t);
    return u ? { type: 'url', value: u } : null;
  }
  const d = normaliseDomain(t);
  return d ? { type: 'domain', value: d } : null;
}

/** Parses a timestamp (ISO 8601, epoch seconds or ms) to epoch ms; null when absent or unparsable. */
export function parseTime(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number' || /^\d+(\.\d+)?$/.test(String(v))) {
    const n = Number(v);
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n); // seconds before 5138 AD
  }
  let s = String(v).trim();
  if (/^\d{4}-\d{2}-\d{2} \d/.test(s)) s = s.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(s)) s += 'Z'; // feeds without a zone mean UTC
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

export function clampConfidence(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) return null;
  return Math.max(0, Math.min(100, Math.round(n)));
}
