/**
 * Helpers shared by the normalisers: timestamps, field flattening, names, numbers.
 * All are pure and cheap: they run once or a few times per event on the hot path.
 */
import { NightjarError } from '../../core/errors.js';
import { newEvent, type NightjarEvent, type RawEvent } from '../../schema/types.js';

/**
 * Parses `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` to epoch ms. Without a zone
 * the time is taken as UTC: callers decide whether that is right for their field.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseTimestamp(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = TIMESTAMP.exec(s.trim());
  if (!m) return null;
  const mon = Number(m[2]);
  const day = Number(m[3]);
  const h = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) return null;
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  let t = Date.UTC(Number(m[1]), mon - 1, day, h, min, sec, ms);
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t;
}

/**
 * Epoch seconds (number or numeric string, fractional allowed) to epoch ms, truncating
 * sub-milliseconds like parseTimestamp does, so `1521911720.865716` and
 * `2018-03-24T17:15:20.865716Z` give the same ms. The decimal digits are read as text:
 * multiplying the binary float by 1000 gives ...985.9998 for 1652292621.986, and any
 * epsilon to absorb that rounds .123999 up instead of down.
 */
export function epochSecondsToMs(v: unknown): number | null {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : typeof v === 'string' ? v.trim() : '';
  const m = /^(-?\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) {
    const n = Number(text); // exponent notation and the like: rare, float arithmetic is fine
    return text !== '' && Number.isFinite(n) ? Math.floor(n * 1000) : null;
  }
  const ms = Number(((m[2] ?? '') + '000').slice(0, 3));
  const seconds = Number(m[1]);
  return m[1]!.startsWith('-') ? seconds * 1000 - ms : seconds * 1000 + ms;
}

/**
 * The source's own fields as strings: nested object keys joined with '.', arrays of
 * scalars joined with ',', arrays holding objects as JSON; null, undefined, '' and empty
 * arrays are left out.
 */
export function flattenFields(obj: Record<string, unknown>, out: Record<string, string> = {}, prefix = ''): Record<string, string> {
  for (const key in obj) {
    const v = obj[key];
    if (v === null || v === undefined || v === '') continue;
    const name = prefix === '' ? key : `${prefix}.${key}`;
    switch (typeof v) {
      case 'string':
        out[name] = v;
        break;
      case 'number':
      case 'boolean':
      case 'bigint':
        out[name] = String(v);
        break;
      case 'object':
        if (Array.isArray(v)) {
          if (v.length === 0) break;
          out[name] = v.every((x) => x === null || typeof x !== 'object') ? v.join(',') : JSON.stringify(v);
        } else {
          flattenFields(v as Record<string, unknown>, out, name);
        }
        break;
      default:
        break;
    }
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A usable string: trimmed, not empty, not '-' (the "no value" of Windows and Zeek). */
export function str(v: unknown): string | null {
  if (typeof v === 'string') {
    if (v === '' || v === '-') return null;
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Integer from a number, a decimal string or a 0x hex string; null otherwise. */
export function int(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v !== 'string' || v === '' || v === '-') return null;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/** An int that fits Avro `int`. */
export function int32(v: unknown): number | null {
  const n = int(v);
  return n !== null && n >= -2147483648 && n <= 2147483647 ? n : null;
}

export function port(v: unknown): number | null {
  const n = int(v);
  return n !== null && n >= 0 && n <= 65535 ? n : null;
}

/** IP address as reported, with IPv4-mapped IPv6 (`::ffff:10.0.0.1`) reduced to IPv4. */
export function ip(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  const t = s.trim();
  if (t.startsWith('::ffff:') && t.indexOf('.') > 0) return t.slice(7);
  return t;
}

/** Lower-case file name of a path, for Windows (`\`) and Unix (`/`) paths alike. */
export function baseName(path: string | null): string | null {
  if (!path) return null;
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  const name = (cut >= 0 ? path.slice(cut + 1) : path).trim().toLowerCase();
  return name === '' ? null : name;
}

/** `DOMAIN\user`, `user@domain` or `user` → lower-case user and its domain. */
export function splitUser(v: unknown, domain?: unknown): { user: string | null; domain: string | null } {
  const s = str(v);
  if (!s) return { user: null, domain: null };
  const bs = s.indexOf('\\');
  if (bs >= 0) return { user: s.slice(bs + 1).toLowerCase() || null, domain: s.slice(0, bs) || null };
  const at = s.indexOf('@');
  if (at > 0) return { user: s.slice(0, at).toLowerCase(), domain: s.slice(at + 1) || null };
  return { user: s.toLowerCase(), domain: str(domain) };
}

/** Sysmon's `SHA1=..,MD5=..,SHA256=..,IMPHASH=..` (any subset, any order) → lower-case hashes. */
export function parseHashes(v: unknown): { md5: string | null; sha1: string | null; sha256: string | null; imphash: string | null } {
  const out = { md5: null as string | null, sha1: null as string | null, sha256: null as string | null, imphash: null as string | null };
  const s = str(v);
  if (!s) return out;
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const algo = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().toLowerCase();
    if (value === '' || /^0+$/.test(value)) continue; // Sysmon writes zeros when it could not hash
    if (algo === 'MD5') out.md5 = value;
    else if (algo === 'SHA1') out.sha1 = value;
    else if (algo === 'SHA256') out.sha256 = value;
    else if (algo === 'IMPHASH') out.imphash = value;
  }
  return out;
}

/** A new event with the common fields empty and the enrichment/stat/flag fields unset. */
export function baseEvent(raw: RawEvent, ts: number, source: string, dataset: string, eventType: string, fields: Record<string, string>): NightjarEvent {
  return newEvent({ ts, source, dataset, event_type: eventType, fields, origin: raw.origin, origin_offset: raw.origin_offset });
}

export function requireTs(ts: number | null, what: string): number {
  if (ts === null || !Number.isFinite(ts)) throw new NightjarError('INVALID_FIELD', `no usable timestamp: ${what}`);
  return ts;
}
