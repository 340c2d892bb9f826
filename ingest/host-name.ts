/**
 * Host names arrive short (`WORKSTATION5`) and fully qualified
 * (`WORKSTATION5.theshire.local`) for the same machine; the short lower-case form is the
 * one key that keeps a host's events together (Kafka partitioning, counters).
 */

/** True for IPv4 dotted quads and anything with a colon (IPv6). */
export function looksLikeIp(name: string): boolean {
  if (name.includes(':')) return true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return false;
  }
  return name.length > 0;
}

/** Lower-case short host name; IP addresses are kept whole. Null for empty or '-'. */
export function shortHostName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  let n = name.trim().toLowerCase();
  if (n.endsWith('.')) n = n.slice(0, -1);
  if (n === '' || n === '-' || n === 'localhost') return n === 'localhost' ? n : null;
  if (looksLikeIp(n)) return n;
  const dot = n.indexOf('.');
  return dot > 0 ? n.slice(0, dot) : n;
}
