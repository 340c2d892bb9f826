/**
 * LDAP search filters (RFC 4515) for user look-ups, built from a small tree rather than by
 * string concatenation, so a user name such as `*)(uid=*` is data, never filter syntax.
 *
 * `renderFilter` gives the RFC 4515 text (for logs, error messages and LDAP tools); the
 * directory adapter turns the same tree into its client's filter objects with the values
 * as raw bytes, which also carries binary values (AD's objectSid) byte-exact.
 */

export type FilterSpec =
  | { and: FilterSpec[] }
  | { or: FilterSpec[] }
  | { eq: string; value: string | Uint8Array }
  /** A filter from the configuration (trusted text, already valid RFC 4515). */
  | { raw: string };

/**
 * RFC 4515 value escaping. In text, the characters `*`, `(`, `)`, `\` and NUL become
 * `\2a`, `\28`, `\29`, `\5c`, `\00` (UTF-8 stays as it is, which the RFC allows). Binary
 * values are escaped byte by byte, since they need not be UTF-8 at all.
 */
export function escapeFilterValue(value: string | Uint8Array): string {
  if (typeof value !== 'string') return [...value].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9-]+)*$/;

/** Attribute descriptions come from the configuration; validate them, never escape them. */
export function isAttributeName(name: string): boolean {
  return ATTRIBUTE.test(name);
}

export function renderFilter(spec: FilterSpec): string {
  if ('raw' in spec) return spec.raw.startsWith('(') ? spec.raw : `(${spec.raw})`;
  if ('eq' in spec) {
    if (!isAttributeName(spec.eq)) throw new RangeError(`not an LDAP attribute name: ${JSON.stringify(spec.eq)}`);
    return `(${spec.eq}=${escapeFilterValue(spec.value)})`;
  }
  if ('and' in spec) return `(&${spec.and.map(renderFilter).join('')})`;
  return `(|${spec.or.map(renderFilter).join('')})`;
}

const SID_TEXT = /^S-1-(\d+)((?:-\d+){0,15})$/i;

/**
 * A SID in text form (`S-1-5-21-…`) as the bytes AD stores in objectSid: revision, number
 * of sub-authorities, the 48-bit identifier authority big-endian, then each sub-authority
 * as a 32-bit little-endian integer. Null when the text is not a SID.
 */
export function sidToBytes(sid: string): Uint8Array | null {
  const m = SID_TEXT.exec(sid.trim());
  if (!m) return null;
  const authority = Number(m[1]);
  const subs = m[2] ? m[2].slice(1).split('-').map(Number) : [];
  if (!Number.isSafeInteger(authority) || authority >= 2 ** 48 || subs.some((s) => s > 0xffffffff)) return null;
  const out = new Uint8Array(8 + 4 * subs.length);
  const view = new DataView(out.buffer);
  out[0] = 1;
  out[1] = subs.length;
  view.setUint16(2, Math.floor(authority / 2 ** 32));
  view.setUint32(4, authority % 2 ** 32);
  subs.forEach((s, i) => view.setUint32(8 + 4 * i, s, true));
  return out;
}

/** The text form of a binary SID; null when the bytes are not one. */
export function sidFromBytes(bytes: Uint8Array): string | null {
  if (bytes.length < 8 || bytes[0] !== 1) return null;
  const count = bytes[1]!;
  if (bytes.length !== 8 + 4 * count) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const authority = view.getUint16(2) * 2 ** 32 + view.getUint32(4);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(view.getUint32(8 + 4 * i, true));
  return ['S-1', authority, ...subs].join('-');
}
