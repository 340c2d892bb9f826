/**
 * What a scan importer returns: findings on host:port, the host-wide findings that have
 * no port (kept apart: they say nothing about a connection's service), and a count of
 * what was skipped (informational items, closed ports) so nothing vanishes unexplained.
 */
import type { Vuln } from '../../../schema/types.js';

export interface Finding {
  /** Canonical address text (see canonicalIp). */
  ip: string;
  host_name: string | null;
  vuln: Vuln;
}

export class ScanResult {
  readonly findings: Finding[] = [];
  readonly hostWide: Finding[] = [];
  skipped = 0;

  constructor(readonly scanner: 'nessus' | 'openvas' | 'nmap', readonly source: string) {}
}

/** Reads a CVSS score (0-10); null when absent or not a number. */
export function cvssOf(...values: unknown[]): number | null {
  for (const v of values) {
    if (v === undefined || v === null || v === '') continue;
    const n = Number(typeof v === 'object' ? (v as Record<string, unknown>)['#text'] : v);
    if (Number.isFinite(n) && n >= 0 && n <= 10) return n;
  }
  return null;
}

export function asArray<T>(v: T | T[] | undefined | null): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

export function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as Record<string, unknown>)['#text'] ?? '');
  return String(v);
}

const CVE = /CVE-\d{4}-\d{4,}/gi;

export function cvesIn(text: string): string[] {
  return [...new Set([...text.matchAll(CVE)].map((m) => m[0].toUpperCase()))];
}
