/**
 * What to look up for one event: per field, the candidate keys in priority order (the
 * first that exists is the match). A domain is tried with each parent suffix, most
 * specific first, so `a.b.evil.example` matches an indicator for `evil.example`; a URL
 * is tried whole, then by its host. IPs are also checked against ranges.
 */
import type { NightjarEvent } from '../../../schema/types.js';
import { canonicalIp, indicatorKey, normaliseDomain, normaliseUrl, urlHost, type IndicatorType } from './indicator.js';

export interface Probe {
  field: string;
  /** The event's value as written there. */
  observed: string;
  candidates: string[];
  /** Set for addresses: also checked against the CIDR ranges. */
  ip: string | null;
}

/** Parent domains tried at most (a.b.c.d.e… stops after this many labels are dropped). */
const MAX_SUFFIXES = 8;

export function domainCandidates(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2 && out.length < MAX_SUFFIXES; i++) out.push(indicatorKey('domain', labels.slice(i).join('.')));
  return out;
}

function hostProbe(field: string, observed: string, host: string): Probe | null {
  const ip = canonicalIp(host);
  if (ip) return { field, observed, candidates: [indicatorKey('ip', ip)], ip };
  const d = normaliseDomain(host);
  return d ? { field, observed, candidates: domainCandidates(d), ip: null } : null;
}

const HASH_FIELDS = ['md5', 'sha1', 'sha256'] as const satisfies readonly IndicatorType[];

export function probesOf(e: NightjarEvent): Probe[] {
  const out: Probe[] = [];
  for (const field of ['src_ip', 'dst_ip'] as const) {
    const v = e[field];
    const ip = v ? canonicalIp(v) : null;
    if (ip) out.push({ field, observed: v!, candidates: [indicatorKey('ip', ip)], ip });
  }
  if (e.dns_query) {
    const p = hostProbe('dns_query', e.dns_query, e.dns_query);
    if (p) out.push(p);
  }
  if (e.dst_host && e.dst_host !== e.dns_query) {
    const p = hostProbe('dst_host', e.dst_host, e.dst_host);
    if (p && p.ip === null) out.push(p); // an address there is dst_ip already
  }
  if (e.url) {
    const u = normaliseUrl(e.url);
    if (u) {
      const byHost = hostProbe('url', e.url, urlHost(u));
      out.push({ field: 'url', observed: e.url, candidates: [indicatorKey('url', u), ...(byHost?.candidates ?? [])], ip: byHost?.ip ?? null });
    }
  }
  for (const type of HASH_FIELDS) {
    const v = e[type];
    if (v) out.push({ field: type, observed: v, candidates: [indicatorKey(type, v.trim().toLowerCase())], ip: null });
  }
  return out;
}

/** The probe for one value typed by an analyst (an address, domain, URL or hash). */
export function probeForValue(value: string): Probe | null {
  const t = value.trim();
  const lower = t.toLowerCase();
  if (/^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(lower)) {
    const type = lower.length === 32 ? 'md5' : lower.length === 40 ? 'sha1' : 'sha256';
    return { field: type, observed: t, candidates: [indicatorKey(type, lower)], ip: null };
  }
  const host = hostProbe('value', t, t);
  if (host) return host;
  const u = normaliseUrl(t);
  if (!u) return null;
  const byHost = hostProbe('value', t, urlHost(u));
  return { field: 'value', observed: t, candidates: [indicatorKey('url', u), ...(byHost?.candidates ?? [])], ip: byHost?.ip ?? null };
}
